import CleverFormat
import RosterRecords
import RecordStream
import Testing
@testable import CleverMapping

// MARK: School ID (mapping-rules.md, "School ID")

@Suite("RosterMapper: School ID")
struct SchoolIDTests {
  static let input: [QSRecord] = [
    qsSchool("1234", code: "lincoln", name: "Lincoln"),
    qsClass("C5", abbreviation: "5", school: "1234"),
    qsTeacher("T1", school: "1234"),
    qsStudent("ST1", school: "1234", classId: "C5"),
    qsSection("X1", school: "1234", classId: "C5"),
    qsEnrollment(section: "X1", student: "ST1", school: "1234"),
  ]

  @Test("School_id is the school's QuickSchools ID by default [required]")
  func byID() {
    let run = MapperRun(Self.input)
    #expect(run.recordErrors.isEmpty)
    #expect(run.records.count == 5)
    for record in run.records { #expect(record[.schoolID] == "1234", "\(record.file)") }
    #expect(run.schools.first?["School_number"] == "lincoln")
    #expect(run.schools.first?["School_name"] == "Lincoln")
  }

  @Test("--school-id code uses the school code everywhere [ours]")
  func byCode() {
    let run = MapperRun(Self.input, options: MappingOptions(schoolIDSource: .code))
    #expect(run.recordErrors.isEmpty)
    #expect(run.records.count == 5)
    for record in run.records { #expect(record[.schoolID] == "lincoln", "\(record.file)") }
  }

  @Test("School_number: number, else code, else ID")
  func schoolNumber() {
    let run = MapperRun([
      qsSchool("A", code: "a-code", number: "101"), qsSchool("B", code: "b-code"), qsSchool("C"),
    ])
    #expect(run.schools.map { $0[.schoolNumber] } == ["101", "b-code", "C"])
  }

  @Test("--school-id code and a school without a code: E_NO_SCHOOL_CODE", arguments: ["", "   "])
  func noSchoolCode(code: String) {
    let run = MapperRun(
      [qsSchool("1234", code: code), qsTeacher("T1", school: "1234")], options: MappingOptions(schoolIDSource: .code))
    #expect(run.recordErrors.count == 2)
    #expect(run.recordErrors.first?.line == 1)
    #expect(run.recordErrors.first?.error.code == MappingCode.noSchoolCode.rawValue)
    #expect(run.recordErrors.first?.error.field == "code")
    // The school is not defined, so the teacher's school is unknown.
    #expect(run.recordErrors.last?.error.code == MappingCode.unknownSchool.rawValue)
    #expect(run.records.isEmpty)
  }

  @Test("a school code with spaces around is trimmed")
  func codeTrimmed() {
    let run = MapperRun([qsSchool("1", code: " lincoln ")], options: MappingOptions(schoolIDSource: .code))
    #expect(run.schools.map { $0[.schoolID] } == ["lincoln"])
  }
}

// MARK: Schools and their grade span

@Suite("RosterMapper: schools")
struct SchoolTests {
  @Test("schools are emitted by finish(), in input order, after everything else")
  func emittedByFinish() {
    let input: [QSRecord] = [qsSchool("S2"), qsSchool("S1"), qsTeacher("T1", school: "S1")]
    let unfinished = MapperRun(input, finish: false)
    #expect(unfinished.schools.isEmpty)
    #expect(unfinished.teachers.count == 1)
    let run = MapperRun(input)
    #expect(run.records.map(\.file) == [.teachers, .schools, .schools])
    #expect(run.schools.map { $0[.schoolID] } == ["S2", "S1"])
    #expect(run.summary.schools == 2)
  }

  @Test("a school defined twice is emitted once, with its last values")
  func definedTwice() {
    let run = MapperRun([qsSchool("S1", name: "Old"), qsSchool("S1", name: "New")])
    #expect(run.schools.map { $0[.schoolName] } == ["New"])
  }

  @Test(
    "Low_grade / High_grade: lowest and highest grade in use; Ungraded and Other do not count",
    arguments: [
      ([], "", ""),
      (["UG"], "", ""),
      (["Zebra"], "", ""),
      (["UG", "Zebra", "Other"], "", ""),
      (["5"], "5", "5"),
      (["K", "5", "UG", "Zebra"], "Kindergarten", "5"),
      (["10", "9", "2"], "2", "10"),  // in grade order, not text order
      (["13", "TK", "PS"], "Preschool", "13"),
      (["PG", "IT", "UG"], "InfantToddler", "PostGraduate"),
      (["K", "TK", "PK"], "PreKindergarten", "Kindergarten"),
      (["Preschool", "PreKindergarten"], "Preschool", "PreKindergarten"),
      (["12", "PG", "1"], "1", "PostGraduate"),
    ] as [([String], String, String)])
  func gradeSpan(abbreviations: [String], low: String, high: String) {
    var input: [QSRecord] = [qsSchool("S1")]
    for (index, abbreviation) in abbreviations.enumerated() {
      input.append(qsClass("C\(index)", abbreviation: abbreviation, name: "Level \(index)"))
    }
    for index in abbreviations.indices { input.append(qsStudent("ST\(index)", classId: "C\(index)")) }
    let run = MapperRun(input)
    #expect(run.recordErrors.isEmpty)
    #expect(run.schools.first?["Low_grade"] == low)
    #expect(run.schools.first?["High_grade"] == high)
  }

  @Test("the span counts sections, but not inactive students or sections of other terms")
  func spanSources() {
    let run = MapperRun([
      qsSchool("S1"),
      qsClass("C3", abbreviation: "3"), qsClass("C1", abbreviation: "1"), qsClass("C9", abbreviation: "9"),
      qsClass("CK", abbreviation: "K"),
      qsTerm("A", active: true), qsTerm("B"),
      qsTeacher("T1"),
      qsStudent("ST1", classId: "C3"),
      qsStudent("ST2", classId: "CK") { $0.hasGraduated = true },  // inactive: does not count
      qsSection("X1", classId: "C1", term: "A"),  // counts
      qsSection("X2", classId: "C9", term: "B"),  // other term: does not count
    ])
    #expect(run.schools.first?["Low_grade"] == "1")
    #expect(run.schools.first?["High_grade"] == "3")
  }

  @Test("each school has its own span")
  func spanPerSchool() {
    let run = MapperRun([
      qsSchool("E"), qsSchool("H"),
      qsClass("EK", abbreviation: "K", school: "E"), qsClass("E5", abbreviation: "5", school: "E"),
      qsClass("H9", abbreviation: "9", school: "H"), qsClass("H12", abbreviation: "12", school: "H"),
      qsStudent("1", school: "E", classId: "EK"), qsStudent("2", school: "E", classId: "E5"),
      qsStudent("3", school: "H", classId: "H9"), qsStudent("4", school: "H", classId: "H12"),
    ])
    #expect(run.school("E")?["Low_grade"] == "Kindergarten")
    #expect(run.school("E")?["High_grade"] == "5")
    #expect(run.school("H")?["Low_grade"] == "9")
    #expect(run.school("H")?["High_grade"] == "12")
  }

  @Test("school fields: phone and principal's email cleaned, with warnings")
  func schoolFields() {
    var good = QSSchool()
    good.id = "S1"; good.name = "Good"; good.phone = "(555) 123-4567"; good.principalEmail = "p@school.org"
    good.state = "ca"; good.zip = "12345-6789"; good.principalName = "Pat Principal"
    var bad = QSSchool()
    bad.id = "S2"; bad.name = "Bad"; bad.phone = "555-1234"; bad.principalEmail = "nobody"
    bad.state = "California"; bad.zip = "1234"
    let run = MapperRun([.school(good), .school(bad)])
    let s1 = run.school("S1"), s2 = run.school("S2")
    #expect(s1?["School_phone"] == "5551234567")
    #expect(s1?["Principal_email"] == "p@school.org")
    #expect(s1?["Principal"] == "Pat Principal")
    #expect(s1?["School_state"] == "CA")
    #expect(s1?["School_zip"] == "123456789")
    #expect(s2?["School_phone"] == "")
    #expect(s2?["Principal_email"] == "")
    #expect(s2?["School_state"] == "")
    #expect(s2?["School_zip"] == "")
    #expect(run.diagnostics(.phone).map(\.id) == ["S2"])
    #expect(run.diagnostics(.email).map(\.id) == ["S2"])
    #expect(run.diagnostics(.address).map(\.field) == ["state", "zip"])
  }
}
