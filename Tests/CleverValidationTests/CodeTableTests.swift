import CleverFormat
import CleverValidation
import RecordStream
import Testing
import RosterRecords

/// Every `ValidationCode` with a minimal input that produces it and a twin without the
/// defect that produces nothing.
struct RecordCase: Sendable, CustomTestStringConvertible {
  let code: ValidationCode
  let name: String
  /// Every code the failing input yields (a multiset).
  let expected: [ValidationCode]
  let failing: [CleverRecord]
  let passing: [CleverRecord]
  var options = CleverValidator.Options()

  var testDescription: String { "\(code.rawValue): \(name)" }

  static let all: [RecordCase] = [
    // One row's own values.
    .init(code: .required, name: "student without Last_name", expected: [.required],
          failing: [school(), student(["Last_name": ""])], passing: [school(), student()]),
    .init(code: .required, name: "staff without Staff_email", expected: [.required],
          failing: [school(), staff(email: "")], passing: [school(), staff()]),
    .init(code: .required, name: "staff First_name of spaces only", expected: [.required],
          failing: [school(), staff(["First_name": "   "])], passing: [school(), staff(["First_name": " Jan "])]),
    .init(code: .required, name: "school without School_name", expected: [.required],
          failing: [school("S1", ["School_name": ""])], passing: [school("S1")]),
    .init(code: .grade, name: "student grade as a word", expected: [.grade],
          failing: [school(), student(["Grade": "fifth"])], passing: [school(), student(["Grade": "5"])]),
    .init(code: .grade, name: "student grade as a range (only schools and sections take ranges)", expected: [.grade],
          failing: [school(), student(["Grade": "9-12"])], passing: [school(), student(["Grade": "9"])]),
    .init(code: .grade, name: "school low grade not a grade", expected: [.grade],
          failing: [school("S1", ["Low_grade": "Pre-K"])], passing: [school("S1", ["Low_grade": "PreKindergarten"])]),
    .init(code: .date, name: "DOB February 30", expected: [.date],
          failing: [school(), student(["DOB": "02/30/2024"])], passing: [school(), student(["DOB": "02/29/2024"])]),
    .init(code: .date, name: "section term start written ISO: a warning, nothing lost", expected: [.date],
          failing: [school(), teacher(), student(), section(["Term_start": "2026-08-24"]), enrollment()],
          passing: [school(), teacher(), student(), section(["Term_start": "08/24/2026"]), enrollment()]),
    .init(code: .requiredEmail, name: "staff email with a space (Staff_email is required)", expected: [.requiredEmail],
          failing: [school(), staff(email: "jan at example.org")], passing: [school(), staff(email: "jan@example.org")]),
    .init(code: .email, name: "student email without a dot in the domain", expected: [.email],
          failing: [school(), student(["Student_email": "hazel@example"])],
          passing: [school(), student(["Student_email": "hazel@example.org"])]),
    .init(code: .phone, name: "school phone of seven digits", expected: [.phone],
          failing: [school("S1", ["School_phone": "555-4400"])], passing: [school("S1", ["School_phone": "5552014400"])]),
    .init(code: .phone, name: "one of two contacts' phone too short: the student stands", expected: [.phone],
          failing: [school(), student(contacts: [contact("A", ["Contact_phone": "5551234"]), contact("B")])],
          passing: [school(), student(contacts: [contact("A", ["Contact_phone": "15551234567"]), contact("B")])]),
    .init(code: .zip, name: "school ZIP of four digits", expected: [.zip],
          failing: [school("S1", ["School_zip": "6270"])], passing: [school("S1", ["School_zip": "627041234"])]),
    .init(code: .state, name: "school state of three letters", expected: [.state],
          failing: [school("S1", ["School_state": "Ill"])], passing: [school("S1", ["School_state": "IL"])]),
    .init(code: .enumeration, name: "gender Q", expected: [.enumeration],
          failing: [school(), student(["Gender": "Q"])], passing: [school(), student(["Gender": "m"])]),
    .init(code: .documentedForm, name: "gender female, as Clever's demo files write it", expected: [.documentedForm],
          failing: [school(), student(["Gender": "female"])], passing: [school(), student(["Gender": "F"])]),
    .init(code: .documentedForm, name: "contact relationship Uncle: write Aunt/Uncle", expected: [.documentedForm],
          failing: [school(), student(contacts: [contact("A", ["Contact_relationship": "Uncle"])])],
          passing: [school(), student(contacts: [contact("A", ["Contact_relationship": "Aunt/Uncle"])])]),
    .init(code: .enumeration, name: "contact type Neighbor, no obvious form, the contact stands", expected: [.enumeration],
          failing: [school(), student(contacts: [contact("A", ["Contact_type": "Neighbor"])])],
          passing: [school(), student(contacts: [contact("A", ["Contact_type": "Other"])])]),
    .init(code: .documentedForm, name: "DOB with a two-digit year", expected: [.documentedForm],
          failing: [school(), student(["DOB": "11/1/98"])], passing: [school(), student(["DOB": "11/01/1998"])]),
    .init(code: .documentedForm, name: "school phone with punctuation and an extension", expected: [.documentedForm],
          failing: [school("S1", ["School_phone": "(336)533-1632 x218"])], passing: [school("S1", ["School_phone": "3365331632"])]),
    .init(code: .documentedForm, name: "kindergarten as grade 0, the student stands", expected: [.documentedForm],
          failing: [school(), student(["Grade": "0"])], passing: [school(), student(["Grade": "Kindergarten"])]),
    .init(code: .enumeration, name: "section subject Robotics, its enrollment stands", expected: [.enumeration],
          failing: [school(), teacher(), student(), section(["Subject": "Robotics"]), enrollment()],
          passing: [school(), teacher(), student(), section(["Subject": "Technology and engineering"]), enrollment()]),
    .init(code: .enumeration, name: "staff role Admin (STL is an alias)", expected: [.enumeration],
          failing: [school(), staff(["Role": "Admin"])], passing: [school(), staff(["Role": "STL"])]),
    .init(code: .enumeration, name: "home language off Clever's 152 (case does not matter)", expected: [.enumeration],
          failing: [school(), student(["Home_language": "Klingon"])], passing: [school(), student(["Home_language": "haitian creole"])]),
    .init(code: .enumeration, name: "FRL status Other: the API's word, not the SFTP document's", expected: [.enumeration],
          failing: [school(), student(["Frl_status": "Other"])], passing: [school(), student(["Frl_status": "N"])]),
    .init(code: .documentedForm, name: "FRL status Reduced, the API's word: write R", expected: [.documentedForm],
          failing: [school(), student(["Frl_status": "Reduced"])], passing: [school(), student(["Frl_status": "R"])]),
    .init(code: .documentedForm, name: "contact type Uncle: a relative, write Family", expected: [.documentedForm],
          failing: [school(), student(contacts: [contact("A", ["Contact_type": "Uncle"])])],
          passing: [school(), student(contacts: [contact("A", ["Contact_type": "Family"])])]),
    .init(code: .contactIncomplete, name: "contact without Contact_type", expected: [.contactIncomplete],
          failing: [school(), student(contacts: [contact("Laura Park", ["Contact_type": ""])])],
          passing: [school(), student(contacts: [contact("Laura Park")])]),
    .init(code: .contactIncomplete, name: "contact with only a phone", expected: [.contactIncomplete, .contactIncomplete],
          failing: [school(), student(contacts: [["Contact_phone": "5551234567"]])],
          passing: [school(), student(contacts: [contact("Laura Park", ["Contact_phone": "5551234567"])])]),
    .init(code: .controlCharacter, name: "a NUL in a teacher's First_name (tab and line breaks are text)",
          expected: [.controlCharacter], failing: [school(), teacher("T1", ["First_name": "A\u{0}nn"])],
          passing: [school("S1", ["School_address": "1 Main St\r\nSuite 2"]), teacher("T1", ["First_name": "A\tnn"])]),
    .init(code: .controlCharacter, name: "an escape character in a contact's name: the student stands",
          expected: [.controlCharacter],
          failing: [school(), student(contacts: [contact("Laura\u{1B}[31m Park"), contact("B")])],
          passing: [school(), student(contacts: [contact("Laura Park"), contact("B")])]),
    .init(code: .controlCharacter, name: "a bell in an extension column", expected: [.controlCharacter],
          failing: [school(), { var t = teacher(); t.setExtension("ext.note", "a\u{7}"); return t }()],
          passing: [school(), { var t = teacher(); t.setExtension("ext.note", "a"); return t }()]),

    // Across rows.
    .init(code: .duplicateID, name: "two teachers with one ID", expected: [.duplicateID],
          failing: [school(), teacher("T1"), teacher("T1", ["First_name": "Bob"])],
          passing: [school(), teacher("T1"), teacher("T2", ["First_name": "Bob"])]),
    .init(code: .duplicateID, name: "a student repeated in a stream (contacts are one record there)", expected: [.duplicateID],
          failing: [school(), student("ST1"), student("ST1")], passing: [school(), student("ST1"), student("ST2")]),
    .init(code: .duplicateID, name: "staff twice at one school", expected: [.duplicateID],
          failing: [school(), staff("F1"), staff("F1", ["Title": "Registrar"])],
          passing: [school(), staff("F1"), staff("F2", ["Title": "Registrar"])]),
    .init(code: .duplicateNumber, name: "two students with one Student_number", expected: [.duplicateNumber],
          failing: [school(), student("ST1", ["Student_number": "42"]), student("ST2", ["Student_number": "42"])],
          passing: [school(), student("ST1", ["Student_number": "42"]), student("ST2", ["Student_number": "43"])]),
    .init(code: .duplicateNumber, name: "two teachers with one Teacher_number", expected: [.duplicateNumber],
          failing: [school(), teacher("T1", ["Teacher_number": "7"]), teacher("T2", ["Teacher_number": "7"])],
          passing: [school(), teacher("T1", ["Teacher_number": "7"]), teacher("T2", ["Teacher_number": "8"])]),
    .init(code: .duplicateEmail, name: "two staff with one email in another case", expected: [.duplicateEmail],
          failing: [school(), staff("F1", email: "jan@example.org"), staff("F2", email: "JAN@Example.org")],
          passing: [school(), staff("F1", email: "jan@example.org"), staff("F2", email: "jo@example.org")]),
    .init(code: .teacherTwoSchools, name: "a teacher listed at two schools", expected: [.teacherTwoSchools],
          failing: [school("S1"), school("S2"), teacher("T1", school: "S1"), teacher("T1", school: "S2")],
          passing: [school("S1"), school("S2"), teacher("T1", school: "S1"), teacher("T2", school: "S2")]),
    .init(code: .contactRowsDiffer, name: "two rows of a student with different grades (CSV mode)",
          expected: [.contactRowsDiffer],
          failing: [school(), student("ST1", ["Grade": "1"], contacts: [contact("A")]),
                    student("ST1", ["Grade": "2"], contacts: [contact("B")])],
          passing: [school(), student("ST1", ["Grade": "1"], contacts: [contact("A")]),
                    student("ST1", ["Grade": "1"], contacts: [contact("B")])],
          options: .init(rowPerContact: true)),

    // References.
    .init(code: .unknownSchool, name: "staff at a school that is not there", expected: [.unknownSchool],
          failing: [school("S1"), staff(school: "S9")], passing: [school("S1"), staff(school: "S1")]),
    .init(code: .unknownSchool, name: "a student at DEFAULT_DISTRICT_OFFICE (staff only)", expected: [.unknownSchool],
          failing: [school("S1"), student(school: CleverSpec.districtOfficeSchoolID)], passing: [school("S1"), student(school: "S1")]),
    // Clever rejects a section whose teacher is not in teachers.csv (an E_ code: the row
    // is dropped, and counted dropped), so its enrollment is lost with it.
    .init(code: .unknownTeacher, name: "section names a missing teacher, its enrollment lost", expected: [.unknownTeacher, .lost],
          failing: [school(), teacher("T1"), student(), section(teacher: "T9"), enrollment()],
          passing: [school(), teacher("T1"), student(), section(teacher: "T1"), enrollment()]),
    .init(code: .unknownSection, name: "enrollment names a missing section", expected: [.unknownSection],
          failing: [school(), student(), enrollment(section: "SE9")],
          passing: [school(), teacher(), student(), section("SE9"), enrollment(section: "SE9")]),
    .init(code: .unknownStudent, name: "enrollment names a missing student", expected: [.unknownStudent],
          failing: minimalSet() + [enrollment(student: "ST9")],
          passing: minimalSet() + [student("ST9"), enrollment(student: "ST9")]),
    .init(code: .lost, name: "enrollment of a section without a teacher", expected: [.required, .lost],
          failing: [school(), teacher(), student(), section(teacher: ""), enrollment()],
          passing: [school(), teacher(), student(), section(teacher: "T1"), enrollment()]),

    // Warnings.
    .init(code: .emptySection, name: "section without enrollments", expected: [.emptySection],
          failing: [school(), teacher(), student(), section()], passing: minimalSet()),
    .init(code: .duplicateCoTeacher, name: "the primary teacher again as Teacher_2_id", expected: [.duplicateCoTeacher],
          failing: [school(), teacher("T1"), teacher("T2"), student(), section(["Teacher_2_id": "T1"]), enrollment()],
          passing: [school(), teacher("T1"), teacher("T2"), student(), section(["Teacher_2_id": "T2"]), enrollment()]),
    .init(code: .duplicateCoTeacher, name: "a co-teacher twice", expected: [.duplicateCoTeacher],
          failing: [school(), teacher("T1"), teacher("T2"), student(),
                    section(["Teacher_2_id": "T2", "Teacher_10_id": "T2"]), enrollment()],
          passing: [school(), teacher("T1"), teacher("T2"), student(), section(["Teacher_2_id": "T2"]), enrollment()]),
  ]
}

/// The codes only CSV files can produce, each with a change to a small valid set.
struct CSVCase: Sendable, CustomTestStringConvertible {
  let code: ValidationCode
  let name: String
  let expected: [ValidationCode]
  /// Files to replace (bytes) or remove (nil).
  let changes: [String: [UInt8]?]
  var unreadable = false

  var testDescription: String { "\(code.rawValue): \(name)" }

  static let base: [String: String] = [
    "schools.csv": "School_id,School_name,School_number\r\nS1,Lincoln,1\r\n",
    "teachers.csv": "School_id,Teacher_id,First_name,Last_name\r\nS1,T1,Ann,Lee\r\n",
    "students.csv": "School_id,Student_id,Last_name,First_name,Grade,Contact_name,Contact_type\r\n"
      + "S1,ST1,Park,Hazel,1,Laura Park,Parent/Guardian\r\nS1,ST1,Park,Hazel,1,Mark Park,Emergency\r\n",
    "sections.csv": "School_id,Section_id,Teacher_id\r\nS1,SE1,T1\r\n",
    "enrollments.csv": "School_id,Section_id,Student_id\r\nS1,SE1,ST1\r\n",
    "staff.csv": "School_id,Staff_id,Staff_email,First_name,Last_name\r\nS1,F1,f1@example.org,Jan,Doe\r\n",
  ]

  static func text(_ text: String) -> [UInt8]? { Array(text.utf8) }
  static let staffHeader = "School_id,Staff_id,Staff_email,First_name,Last_name"

  static let all: [CSVCase] = [
    .init(code: .missingFile, name: "no schools.csv", expected: [.missingFile], changes: ["schools.csv": nil]),
    .init(code: .missingColumn, name: "staff.csv without a Last_name column", expected: [.missingColumn, .required],
          changes: ["staff.csv": text("School_id,Staff_id,Staff_email,First_name\r\nS1,F1,f1@example.org,Jan\r\n")]),
    .init(code: .documentedColumn, name: "schools.csv without School_number, as Clever's demo files", expected: [.documentedColumn],
          changes: ["schools.csv": text("School_id,School_name\r\nS1,Lincoln\r\n")]),
    .init(code: .lineEndings, name: "staff.csv with lines ended by a CR alone, as some of Clever's demo files",
          expected: [.lineEndings], changes: ["staff.csv": text(staffHeader + "\rS1,F1,f1@example.org,Jan,Doe\r")]),
    .init(code: .duplicateColumn, name: "staff.csv with Last_name twice, in another case", expected: [.duplicateColumn],
          changes: ["staff.csv": text(staffHeader + ",LAST_NAME\r\nS1,F1,f1@example.org,Jan,Doe,Other\r\n")]),
    .init(code: .rowFields, name: "a staff row with a field too many", expected: [.rowFields],
          changes: ["staff.csv": text(staffHeader + "\r\nS1,F1,f1@example.org,Jan,Doe,extra\r\n")]),
    .init(code: .rowFields, name: "a staff row with a field too few", expected: [.rowFields],
          changes: ["staff.csv": text(staffHeader + "\r\nS1,F1,f1@example.org,Jan\r\n")]),
    .init(code: .emptyFile, name: "staff.csv of zero bytes", expected: [.emptyFile], changes: ["staff.csv": []]),
    .init(code: .unreadable, name: "an unbalanced quote", expected: [.unreadable],
          changes: ["staff.csv": text(staffHeader + "\r\nS1,F1,\"f1@example.org,Jan,Doe\r\n")], unreadable: true),
    .init(code: .unreadable, name: "a NUL byte", expected: [.unreadable],
          changes: ["staff.csv": Array((staffHeader + "\r\nS1,F1,f1@example.org,J").utf8) + [0] + Array("an,Doe\r\n".utf8)],
          unreadable: true),
    .init(code: .unreadable, name: "invalid UTF-8 (Latin-1)", expected: [.unreadable],
          changes: ["staff.csv": Array((staffHeader + "\r\nS1,F1,f1@example.org,Andr").utf8) + [0xE9] + Array(",Doe\r\n".utf8)],
          unreadable: true),
    .init(code: .controlCharacter, name: "a control character in a staff row's First_name", expected: [.controlCharacter],
          changes: ["staff.csv": Array((staffHeader + "\r\nS1,F1,f1@example.org,J").utf8) + [1] + Array("an,Doe\r\n".utf8)]),
    .init(code: .unknownColumn, name: "staff.csv with a Nickname column", expected: [.unknownColumn],
          changes: ["staff.csv": text(staffHeader + ",Nickname\r\nS1,F1,f1@example.org,Jan,Doe,JD\r\n")]),
    .init(code: .unknownColumn, name: "an extension column in enrollments.csv (the one file without them)",
          expected: [.unknownColumn],
          changes: ["enrollments.csv": text("School_id,Section_id,Student_id,ext.note\r\nS1,SE1,ST1,x\r\n")]),
    .init(code: .noRows, name: "enrollments.csv with a header only: the section is empty", expected: [.noRows, .emptySection],
          changes: ["enrollments.csv": text("School_id,Section_id,Student_id\r\n")]),
    .init(code: .contactRowsDiffer, name: "a student's second row with another grade", expected: [.contactRowsDiffer],
          changes: ["students.csv": text("School_id,Student_id,Last_name,First_name,Grade,Contact_name,Contact_type\r\n"
            + "S1,ST1,Park,Hazel,1,Laura Park,Parent/Guardian\r\nS1,ST1,Park,Hazel,2,Mark Park,Emergency\r\n")]),
    .init(code: .duplicateID, name: "a teacher row twice in teachers.csv", expected: [.duplicateID],
          changes: ["teachers.csv": text("School_id,Teacher_id,First_name,Last_name\r\nS1,T1,Ann,Lee\r\nS1,T1,Ann,Lee\r\n")]),
  ]

  /// Writes the base set with `changes` applied.
  static func directory(_ changes: [String: [UInt8]?] = [:]) throws -> CSVDirectory {
    let directory = try CSVDirectory([:])
    for (name, text) in base where changes[name] == nil { try directory.write(name, Array(text.utf8)) }
    for (name, bytes) in changes { if let bytes { try directory.write(name, bytes) } }
    return directory
  }
}

@Suite struct CodeTableTests {
  @Test(arguments: RecordCase.all) func recordCase(_ test: RecordCase) {
    let failing = ValidationRun(test.failing, options: test.options)
    #expect(failing.codes == codes(test.expected), "\(failing.diagnostics.map { $0.formatted(stage: "v") })")
    let passing = ValidationRun(test.passing, options: test.options)
    #expect(passing.codes == [], "\(passing.diagnostics.map { $0.formatted(stage: "v") })")
  }

  @Test(arguments: CSVCase.all) func csvCase(_ test: CSVCase) throws {
    let directory = try CSVCase.directory(test.changes)
    defer { directory.remove() }
    let failing = try CSVRun(directory: directory.path)
    #expect(failing.codes == codes(test.expected), "\(failing.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(failing.unreadable == test.unreadable)
    #expect(failing.diagnostics.allSatisfy { $0.file != nil }, "every CSV finding names its file")
  }

  @Test func csvBaseSetIsValid() throws {
    let directory = try CSVCase.directory()
    defer { directory.remove() }
    let run = try CSVRun(directory: directory.path)
    #expect(run.codes == [], "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(!run.unreadable)
    #expect(run.report(.students) == { var r = FileReport(); r.rows = 2; r.records = 2; return r }())
  }

  @Test func everyCodeHasAFailingCaseAndATwin() {
    let covered = Set(RecordCase.all.map(\.code) + CSVCase.all.map(\.code))
    let missing = ValidationCode.allCases.filter { !covered.contains($0) }
    #expect(missing.isEmpty, "codes without a case: \(missing.map(\.rawValue))")
    // And each case's code is among what its input yields.
    for test in RecordCase.all { #expect(test.expected.contains(test.code), "\(test.testDescription)") }
    for test in CSVCase.all { #expect(test.expected.contains(test.code), "\(test.testDescription)") }
  }

  @Test func severityFollowsThePrefix() {
    for code in ValidationCode.allCases {
      #expect(code.severity == (code.rawValue.hasPrefix("E_") ? .error : .warning))
      #expect(!code.explanation.isEmpty)
    }
  }

  /// Each finding carries the place and the record it is about, not only a code.
  @Test func findingsNameTheirPlaceAndRecord() {
    let run = ValidationRun([school(), student("ST1", ["DOB": "13/01/2020"])], source: "in.ndjson")
    let finding = run.diagnostics(.date).first
    #expect(finding?.file == "in.ndjson")
    #expect(finding?.line == 2)
    #expect(finding?.recordType == "clever.student")
    #expect(finding?.id == "ST1")
    #expect(finding?.field == "DOB")
    #expect(finding?.value == "13/01/2020")
    #expect(finding?.severity == .warning)
    #expect(finding?.message.contains("student \"ST1\"") == true)
  }
}
