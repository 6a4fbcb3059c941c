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

// MARK: Active students only (mapping-rules.md, "Records kept")

@Suite("RosterMapper: inactive students")
struct InactiveStudentTests {
  enum Flag: String, CaseIterable, Sendable {
    case hasLeft, deleted, isExpelled, hasGraduated

    func set(_ student: inout QSStudent) {
      switch self {
      case .hasLeft: student.hasLeft = true
      case .deleted: student.deleted = true
      case .isExpelled: student.isExpelled = true
      case .hasGraduated: student.hasGraduated = true
      }
    }

    var reason: String {
      switch self {
      case .hasLeft: "has left"
      case .deleted: "was deleted"
      case .isExpelled: "was expelled"
      case .hasGraduated: "has graduated"
      }
    }
  }

  @Test("an inactive student is left out, and its enrollments with a warning", arguments: Flag.allCases)
  func inactive(flag: Flag) {
    let reason = flag.reason
    let run = MapperRun([
      qsSchool(), qsTeacher("T1"),
      qsStudent("GONE") { flag.set(&$0) },
      qsStudent("HERE"),
      qsSection("X1"),
      qsEnrollment(section: "X1", student: "GONE"),
      qsEnrollment(section: "X1", student: "HERE"),
    ])
    #expect(run.students.map { $0[.studentID] } == ["HERE"])
    #expect(run.enrollments.map { $0[.studentID] } == ["HERE"])
    let dropped = run.diagnostics(.enrollmentDropped)
    #expect(dropped.count == 1)
    #expect(dropped.first?.severity == .warning)
    #expect(dropped.first?.id == "X1/GONE")
    #expect(dropped.first?.line == 6)
    #expect(dropped.first?.message.contains(reason) == true, "\(dropped.first?.message ?? "")")
    #expect(run.summary.inactiveStudents == 1)
    #expect(run.summary.students == 1)
    #expect(run.summary.enrollmentsLeftOut == 1)
    #expect(run.summary.enrollments == 1)
  }

  @Test("an inactive student's own record gives no warning")
  func inactiveIsQuiet() {
    let run = MapperRun([qsSchool(), qsStudent("GONE") { $0.hasLeft = true; $0.deleted = true }])
    #expect(run.students.isEmpty)
    #expect(run.diagnostics.isEmpty)
  }

  @Test("an inactive student's grade level is not looked up: no error, no grade warning")
  func inactiveClassIsNotNeeded() {
    let run = MapperRun([
      qsSchool(), qsClass("C", abbreviation: "Blue"),
      qsStudent("GONE", classId: "NOWHERE") { $0.hasLeft = true },
      qsStudent("ALSO", classId: "C") { $0.isExpelled = true },
    ])
    #expect(run.recordErrors.isEmpty)
    #expect(run.diagnostics.isEmpty)
  }
}

// MARK: Terms (mapping-rules.md, "Records kept": sections of the chosen term)

@Suite("RosterMapper: terms")
struct TermTests {
  static let input: [QSRecord] = [
    qsSchool(),
    qsTerm("FALL", name: "Fall 2024", active: true, start: "2024-08-15", end: "2024-12-20"),
    qsTerm("SPR", name: "Spring 2025", start: "2025-01-06", end: "2025-05-30"),
    qsTeacher("T1"),
    qsStudent("ST1"),
    qsSection("XF", term: "FALL"),
    qsSection("XS", term: "SPR"),
    qsSection("XN", term: ""),  // no term: kept whichever term is chosen
    qsEnrollment(section: "XF", student: "ST1"),
    qsEnrollment(section: "XS", student: "ST1"),
    qsEnrollment(section: "XN", student: "ST1"),
  ]

  @Test("default: the active term; other terms' sections and enrollments are left out silently")
  func activeTerm() {
    let run = MapperRun(Self.input)
    #expect(run.failure == nil)
    #expect(run.sections.map { $0[.sectionID] } == ["XF", "XN"])
    #expect(run.enrollments.map { $0[.sectionID] } == ["XF", "XN"])
    #expect(run.diagnostics.isEmpty)
    #expect(run.summary.otherTermSections == 1)
    #expect(run.summary.otherTermEnrollments == 1)
    #expect(run.summary.enrollmentsLeftOut == 0)
  }

  @Test("term columns come from the section's term")
  func termColumns() {
    let run = MapperRun(Self.input)
    let fall = run.section("XF")
    #expect(fall?["Term_name"] == "Fall 2024")
    #expect(fall?["Term_start"] == "08/15/2024")
    #expect(fall?["Term_end"] == "12/20/2024")
    let none = run.section("XN")
    #expect(none?["Term_name"] == "")
    #expect(none?["Term_start"] == "")
  }

  @Test("--term by ID or by name, any case", arguments: ["SPR", "spr", "Spring 2025", " spring 2025 ", "SPRING 2025"])
  func chosenTerm(term: String) {
    let run = MapperRun(Self.input, options: MappingOptions(term: term))
    #expect(run.failure == nil)
    #expect(run.sections.map { $0[.sectionID] } == ["XS", "XN"])
    #expect(run.enrollments.map { $0[.sectionID] } == ["XS", "XN"])
    #expect(run.section("XS")?["Term_name"] == "Spring 2025")
    #expect(run.section("XS")?["Term_start"] == "01/06/2025")
    #expect(run.diagnostics.isEmpty)
  }

  @Test("--term naming no term: E_UNKNOWN_TERM, a configuration failure (78)")
  func unknownTerm() {
    let run = MapperRun(Self.input, options: MappingOptions(term: "Summer 2025"))
    #expect(run.failure?.code == MappingCode.unknownTerm.rawValue)
    #expect(run.failure?.kind == .configuration)
    #expect(run.failure?.message.contains("Summer 2025") == true)
    // It names the terms there are.
    #expect(run.failure?.message.contains("Fall 2024") == true)
    #expect(run.sections.isEmpty)
  }

  @Test("--term when the input has no terms: E_UNKNOWN_TERM")
  func unknownTermWithoutTerms() {
    let run = MapperRun([qsSchool(), qsTeacher("T1"), qsSection("X1")], options: MappingOptions(term: "Fall"))
    #expect(run.failure?.code == MappingCode.unknownTerm.rawValue)
    #expect(run.failure?.kind == .configuration)
  }

  @Test("terms but none active: E_NO_ACTIVE_TERM, a data failure (65), at the first section")
  func noActiveTerm() {
    let input: [QSRecord] = [
      qsSchool(), qsTerm("FALL"), qsTerm("SPR"), qsTeacher("T1"), qsStudent("ST1"), qsSection("X1", term: "FALL"),
    ]
    let run = MapperRun(input)
    #expect(run.failure?.code == MappingCode.noActiveTerm.rawValue)
    #expect(run.failure?.kind == .dataError)
    // Records before the first section were mapped.
    #expect(run.teachers.count == 1)
    #expect(run.students.count == 1)
    // Without sections, no term is needed.
    #expect(MapperRun(Array(input.dropLast())).failure == nil)
  }

  @Test("no terms in the input: every section is kept")
  func noTerms() {
    let run = MapperRun([
      qsSchool(), qsTeacher("T1"), qsSection("X1", term: "T-UNKNOWN"), qsSection("X2", term: ""),
    ])
    #expect(run.failure == nil)
    #expect(run.sections.map { $0[.sectionID] } == ["X1", "X2"])
    #expect(run.section("X1")?["Term_name"] == "")
  }

  @Test("several active terms: the sections of all of them")
  func severalActive() {
    let run = MapperRun([
      qsSchool(), qsTerm("A", active: true), qsTerm("B", active: true), qsTerm("C"), qsTeacher("T1"),
      qsSection("XA", term: "A"), qsSection("XB", term: "B"), qsSection("XC", term: "C"),
    ])
    #expect(run.sections.map { $0[.sectionID] } == ["XA", "XB"])
  }

  @Test("an unreadable term date: left empty with one W_DATE per value")
  func badTermDate() {
    let run = MapperRun([
      qsSchool(), qsTerm("A", active: true, start: "soon", end: "2024-12-20"), qsTeacher("T1"),
      qsSection("X1", term: "A"), qsSection("X2", term: "A"),
    ])
    #expect(run.section("X1")?["Term_start"] == "")
    #expect(run.section("X1")?["Term_end"] == "12/20/2024")
    #expect(run.diagnostics(.date).count == 1)
    #expect(run.diagnostics(.date).first?.value == "soon")
  }
}

// MARK: Sections and co-teachers (mapping-rules.md, "Co-teachers" and "Records kept")

@Suite("RosterMapper: sections")
struct SectionTests {
  @Test("a section without teachers is left out with its enrollments, with warnings", arguments: [[], [""], ["  ", ""]])
  func noTeacher(teachers: [String]) {
    let run = MapperRun([
      qsSchool(), qsTeacher("T1"), qsStudent("ST1"),
      qsSection("LONELY", teachers: teachers),
      qsSection("OK", teachers: ["T1"]),
      qsEnrollment(section: "LONELY", student: "ST1"),
      qsEnrollment(section: "OK", student: "ST1"),
    ])
    #expect(run.sections.map { $0[.sectionID] } == ["OK"])
    #expect(run.enrollments.map { $0[.sectionID] } == ["OK"])
    let noTeacher = run.diagnostics(.sectionNoTeacher)
    #expect(noTeacher.count == 1)
    #expect(noTeacher.first?.id == "LONELY")
    #expect(noTeacher.first?.message.contains("Section LONELY") == true)
    let dropped = run.diagnostics(.enrollmentDropped)
    #expect(dropped.map(\.id) == ["LONELY/ST1"])
    #expect(run.summary.sectionsWithoutTeacher == 1)
  }

  @Test("up to 10 teachers: Teacher_id, then Teacher_2_id...Teacher_10_id in order [required]", arguments: 1...10)
  func coTeachers(count: Int) {
    let ids = (1...count).map { "T\(100 - $0)" }  // an order that is not sorted
    let run = MapperRun([qsSchool(), qsSection("X1", teachers: ids)])
    let section = run.section("X1")
    #expect(section?["Teacher_id"] == ids[0])
    for n in 2...10 {
      #expect(section?["Teacher_\(n)_id"] == (n <= count ? ids[n - 1] : ""), "Teacher_\(n)_id")
    }
    #expect(run.diagnostics.isEmpty)
  }

  @Test("more than 10 teachers: the first 10 kept, a warning names the ones left out")
  func tooManyTeachers() {
    let ids = (1...11).map { "T\($0)" }
    let run = MapperRun([qsSchool(), qsSection("BIG", teachers: ids)])
    let section = run.section("BIG")
    #expect(section?["Teacher_id"] == "T1")
    #expect(section?["Teacher_10_id"] == "T10")
    let warnings = run.diagnostics(.sectionTooManyTeachers)
    #expect(warnings.count == 1)
    #expect(warnings.first?.id == "BIG")
    #expect(warnings.first?.message.contains("\"T11\"") == true)
    #expect(warnings.first?.message.contains("\"T10\"") == false)
    #expect(warnings.first?.message.contains("11 teachers") == true)
  }

  @Test("a teacher linked twice is exported once, with a warning")
  func duplicateTeacher() {
    let run = MapperRun([qsSchool(), qsSection("X1", teachers: ["T1", "T2", "T1", "T3"])])
    let section = run.section("X1")
    #expect(section?["Teacher_id"] == "T1")
    #expect(section?["Teacher_2_id"] == "T2")
    #expect(section?["Teacher_3_id"] == "T3")
    #expect(section?["Teacher_4_id"] == "")
    #expect(run.diagnostics(.sectionDuplicateTeacher).count == 1)
    #expect(run.diagnostics(.sectionDuplicateTeacher).first?.message.contains("\"T1\"") == true)
  }

  @Test("section columns: Name, Section_number, Grade, course, period, subject")
  func columns() {
    let run = MapperRun([
      qsSchool(), qsClass("C5", abbreviation: "5th"),
      qsSection("X1", classId: "C5") {
        $0.name = "Math 5A"; $0.code = "M5A"; $0.courseName = "Math"; $0.courseNumber = "M-5"; $0.period = "2"
        $0.subject = "math"
      },
      qsSection("X2") { $0.subject = "Basket weaving" },
      qsSection("X3") { $0.subject = "Basket weaving" },
      qsSection("X4") { $0.subject = "" },
    ])
    let x1 = run.section("X1")
    #expect(x1?["Name"] == "Math 5A")
    #expect(x1?["Section_number"] == "M5A")
    #expect(x1?["Grade"] == "5")
    #expect(x1?["Course_name"] == "Math")
    #expect(x1?["Course_number"] == "M-5")
    #expect(x1?["Period"] == "2")
    #expect(x1?["Subject"] == "Math")
    #expect(x1?["School_id"] == "S1")
    #expect(run.section("X2")?["Subject"] == "")
    #expect(run.section("X2")?["Grade"] == "")
    // One warning per unknown subject, not per section.
    #expect(run.diagnostics(.subjectUnknown).count == 1)
    #expect(run.diagnostics(.subjectUnknown).first?.value == "Basket weaving")
  }
}

// MARK: Grades in the stream (mapping-rules.md, "Grade")

@Suite("RosterMapper: grades")
struct StreamGradeTests {
  @Test("one W_GRADE_UNMAPPED per class, not per student or section")
  func oneWarningPerClass() {
    let run = MapperRun([
      qsSchool(), qsClass("BLUE", abbreviation: "Bl", name: "Blue Room"), qsClass("RED", abbreviation: "Rd", name: "Red Room"),
      qsClass("C5", abbreviation: "5"), qsTeacher("T1"),
      qsStudent("1", classId: "BLUE"), qsStudent("2", classId: "BLUE"), qsStudent("3", classId: "BLUE"),
      qsStudent("4", classId: "RED"), qsStudent("5", classId: "C5"),
      qsSection("X1", classId: "BLUE"), qsSection("X2", classId: "RED"),
    ])
    let warnings = run.diagnostics(.gradeUnmapped)
    #expect(warnings.map(\.id) == ["BLUE", "RED"])
    #expect(warnings.allSatisfy { $0.severity == .warning && $0.recordType == "qs.class" })
    // It names the class, its abbreviation, and how to map it; its line is the class's.
    #expect(warnings.first?.message.contains("Blue Room") == true)
    #expect(warnings.first?.message.contains("\"Bl\"") == true)
    #expect(warnings.first?.message.contains("--grade-map") == true)
    #expect(warnings.first?.value == "Bl")
    #expect(warnings.first?.line == 2)
    #expect(run.students.map { $0[.grade] } == ["Other", "Other", "Other", "Other", "5"])
    #expect(run.sections.map { $0[.grade] } == ["Other", "Other"])
  }

  @Test("a class in no use gives no warning")
  func unusedClass() {
    let run = MapperRun([qsSchool(), qsClass("BLUE", abbreviation: "Bl")])
    #expect(run.diagnostics.isEmpty)
  }

  @Test("spellings, strict mode and the user's map reach the records")
  func mapperOptions() {
    let input: [QSRecord] = [
      qsSchool(), qsClass("CK", abbreviation: "KG"), qsClass("C1", abbreviation: "1st", name: "First Grade"),
      qsClass("C5", abbreviation: " 5 "), qsStudent("A", classId: "CK"), qsStudent("B", classId: "C1"),
      qsStudent("C", classId: "C5"),
    ]
    let normal = MapperRun(input)
    #expect(normal.students.map { $0[.grade] } == ["Kindergarten", "1", "5"])
    #expect(normal.diagnostics.isEmpty)

    let strict = MapperRun(input, options: MappingOptions(gradeMapper: GradeMapper(strict: true)))
    #expect(strict.students.map { $0[.grade] } == ["Other", "Other", "5"])
    #expect(strict.diagnostics(.gradeUnmapped).map(\.id) == ["CK", "C1"])
    #expect(strict.schools.first?["Low_grade"] == "5")

    let mapped = MapperRun(
      input, options: MappingOptions(gradeMapper: GradeMapper(userMap: GradeMap(entries: ["kg": .preKindergarten, "first grade": .g2]))))
    #expect(mapped.students.map { $0[.grade] } == ["PreKindergarten", "2", "5"])
  }

  @Test("a student or section without a class has an empty Grade, no warning")
  func noClass() {
    let run = MapperRun([qsSchool(), qsTeacher("T1"), qsStudent("A"), qsSection("X1")])
    #expect(run.student("A")?["Grade"] == "")
    #expect(run.section("X1")?["Grade"] == "")
    #expect(run.diagnostics.isEmpty)
  }
}

// MARK: References and their order (records.md; MappingCode)

@Suite("RosterMapper: references")
struct ReferenceTests {
  @Test("a record naming a class not defined before it: E_UNKNOWN_CLASS")
  func unknownClass() {
    let run = MapperRun([
      qsSchool(), qsTeacher("T1"), qsStudent("A", classId: "C9"), qsSection("X1", classId: "C9"), qsStudent("B"),
    ])
    #expect(run.recordErrors.map { $0.line } == [3, 4])
    #expect(run.recordErrors.allSatisfy { $0.error.code == MappingCode.unknownClass.rawValue })
    #expect(run.recordErrors.first?.error.field == "classId")
    #expect(run.recordErrors.first?.error.message.contains("C9") == true)
    #expect(run.students.map { $0[.studentID] } == ["B"])
    #expect(run.sections.isEmpty)
  }

  @Test("a record naming a school not defined before it: E_UNKNOWN_SCHOOL")
  func unknownSchool() {
    let run = MapperRun([
      qsSchool("S1"), qsTeacher("T1", school: "S2"), qsStudent("A", school: "S2"), qsSection("X1", school: "S2"),
      qsStudent("B", school: "S1"),
    ])
    #expect(run.recordErrors.map { $0.line } == [2, 3, 4])
    #expect(run.recordErrors.allSatisfy { $0.error.code == MappingCode.unknownSchool.rawValue })
    #expect(run.recordErrors.first?.error.field == "schoolId")
    #expect(run.recordErrors.first?.error.message.contains("S2") == true)
    #expect(run.students.map { $0[.studentID] } == ["B"])
  }

  @Test("no schoolId: the only school, else E_UNKNOWN_SCHOOL")
  func noSchoolID() {
    let one = MapperRun([qsSchool("S1"), qsStudent("A", school: "")])
    #expect(one.student("A")?["School_id"] == "S1")
    let two = MapperRun([qsSchool("S1"), qsSchool("S2"), qsStudent("A", school: "")])
    #expect(two.recordErrors.map { $0.error.code } == [MappingCode.unknownSchool.rawValue])
    let none = MapperRun([qsStudent("A", school: "")])
    #expect(none.recordErrors.map { $0.error.code } == [MappingCode.unknownSchool.rawValue])
  }

  @Test(
    "a reference record after a record that named it: E_LATE_REFERENCE on the reference, E_UNKNOWN_* on the record",
    arguments: [
      ([qsSchool(), qsStudent("A", classId: "C1"), qsClass("C1", abbreviation: "1")], "E_UNKNOWN_CLASS"),
      ([qsSchool(), qsTeacher("T1", school: "S2"), qsSchool("S2")], "E_UNKNOWN_SCHOOL"),
      ([qsSchool(), qsTerm("B"), qsTeacher("T1"), qsSection("X1", term: "A"), qsTerm("A", active: true)],
       "E_UNKNOWN_SEMESTER"),
    ])
  func lateReference(input: [QSRecord], first: String) {
    let run = MapperRun(input)
    #expect(run.recordErrors.map { $0.line } == [input.count - 1, input.count])
    #expect(run.recordErrors.map { $0.error.code } == [first, MappingCode.lateReference.rawValue])
    #expect(run.recordErrors.last?.error.message.contains("comes after line \(input.count - 1), which named it") == true)
  }

  @Test(
    "a reference after records that did not name it is not late: two schools' extracts concatenated",
    arguments: [
      [qsSchool(), qsStudent("A"), qsClass("C1", abbreviation: "1")],
      [qsSchool(), qsTeacher("T1"), qsSchool("S2")],
      [qsSchool(), qsEnrollment(section: "X", student: "A"), qsClass("C1", abbreviation: "1")],
    ])
  func notLate(input: [QSRecord]) {
    let run = MapperRun(input)
    #expect(!run.allCodes.contains(MappingCode.lateReference.rawValue), "\(run.allCodes)")
  }

  @Test("a reference redefined differently after records used it: E_LATE_REFERENCE; the same again is fine")
  func redefinedAfterUse() {
    let changed = MapperRun([
      qsSchool(), qsClass("C1", abbreviation: "1"), qsStudent("A", classId: "C1"), qsClass("C1", abbreviation: "2"),
    ])
    #expect(changed.recordErrors.map { $0.line } == [4])
    #expect(changed.recordErrors.first?.error.code == MappingCode.lateReference.rawValue)
    let same = MapperRun([
      qsSchool(), qsClass("C1", abbreviation: "1"), qsStudent("A", classId: "C1"), qsSchool(),
      qsClass("C1", abbreviation: "1"), qsStudent("B", classId: "C1"),
    ])
    #expect(same.recordErrors.isEmpty)
    #expect(same.school("S1")?["Low_grade"] == "1")
  }

  @Test("two schools concatenated: grade levels and terms are each school's own, the term chosen per school")
  func concatenatedSchools() {
    // Both schools use class "C1" and term "T" IDs; each means its own school's.
    let schoolA: [QSRecord] = [
      qsSchool("S1"), qsClass("C1", abbreviation: "3", school: "S1"), qsTerm("T1", active: true, school: "S1"),
      qsTerm("T2", school: "S1"), qsTeacher("TA", school: "S1"), qsStudent("A", school: "S1", classId: "C1"),
      qsSection("XA", school: "S1", term: "T1", teachers: ["TA"]), qsSection("XA2", school: "S1", term: "T2", teachers: ["TA"]),
    ]
    let schoolB: [QSRecord] = [
      qsSchool("S2"), qsClass("C1", abbreviation: "7", school: "S2"), qsTerm("T1", school: "S2"),
      qsTerm("T2", active: true, school: "S2"), qsTeacher("TB", school: "S2"), qsStudent("B", school: "S2", classId: "C1"),
      qsSection("XB", school: "S2", term: "T1", teachers: ["TB"]), qsSection("XB2", school: "S2", term: "T2", teachers: ["TB"]),
    ]
    let run = MapperRun(schoolA + schoolB)
    #expect(run.recordErrors.isEmpty && run.failure == nil, "\(run.recordErrors) \(String(describing: run.failure))")
    #expect(run.student("A")?["Grade"] == "3")
    #expect(run.student("B")?["Grade"] == "7")
    #expect(run.sections.map { $0[.sectionID] } == ["XA", "XB2"])
    #expect(run.school("S1")?["High_grade"] == "3" && run.school("S2")?["Low_grade"] == "7")
  }

  @Test("reference records in any order among themselves are fine")
  func referencesFirst() {
    let run = MapperRun([
      qsTerm("A", active: true), qsSchool(), qsClass("C1", abbreviation: "1"), qsSchool("S2"), qsTerm("B"),
      qsClass("C2", abbreviation: "2"), qsTeacher("T1"), qsSection("X1", term: "A"),
    ])
    #expect(run.recordErrors.isEmpty)
    #expect(run.failure == nil)
    #expect(run.sections.count == 1)
  }

  @Test("an enrollment whose section or student is not in the input before it: left out with a warning")
  func enrollmentWithoutReferences() {
    let run = MapperRun([
      qsSchool(), qsTeacher("T1"), qsStudent("A"), qsSection("X1"),
      qsEnrollment(section: "NOPE", student: "A"),
      qsEnrollment(section: "X1", student: "NOBODY"),
      qsEnrollment(section: "X1", student: "A"),
    ])
    #expect(run.enrollments.count == 1)
    #expect(run.enrollments.first?["School_id"] == "S1")
    #expect(run.enrollments.first?["Section_id"] == "X1")
    #expect(run.enrollments.first?["Student_id"] == "A")
    #expect(run.diagnostics(.enrollmentDropped).map(\.id) == ["NOPE/A", "X1/NOBODY"])
    #expect(run.diagnostics(.enrollmentDropped).map(\.line) == [5, 6])
  }
}

// MARK: People

@Suite("RosterMapper: students and teachers")
struct PeopleTests {
  @Test("student columns")
  func studentColumns() {
    let run = MapperRun([
      qsSchool(), qsClass("C3", abbreviation: "3"),
      qsStudent("A", classId: "C3") {
        $0.studentNumber = "1001"; $0.stateId = "ST-9"; $0.firstName = "Ann"; $0.middleName = " B "
        $0.lastName = "Lee"; $0.gender = "Female"; $0.birthDate = "2015-06-01"; $0.email = "ann@school.org"
        $0.street = "1 Main St"; $0.city = "Town"; $0.state = "ny"; $0.zip = "12345"
      },
    ])
    let a = run.student("A")
    #expect(a?["School_id"] == "S1")
    #expect(a?["Student_number"] == "1001")
    #expect(a?["State_id"] == "ST-9")
    #expect(a?["First_name"] == "Ann")
    #expect(a?["Middle_name"] == "B")
    #expect(a?["Last_name"] == "Lee")
    #expect(a?["Grade"] == "3")
    #expect(a?["Gender"] == "F")
    #expect(a?["DOB"] == "06/01/2015")
    #expect(a?["Student_email"] == "ann@school.org")
    #expect(a?["Student_street"] == "1 Main St")
    #expect(a?["Student_city"] == "Town")
    #expect(a?["Student_state"] == "NY")
    #expect(a?["Student_zip"] == "12345")
    #expect(run.diagnostics.isEmpty)
  }

  @Test("unreadable student values are left empty with warnings")
  func studentWarnings() {
    let run = MapperRun([
      qsSchool(),
      qsStudent("A") { $0.gender = "Boy"; $0.birthDate = "2019-02-30"; $0.email = "ann at school"; $0.zip = "1234" },
      qsStudent("B") { $0.gender = "Boy"; $0.state = "New York" },
      qsStudent("C") { $0.gender = "Girl" },
      qsStudent("D") { $0.firstName = ""; $0.lastName = ""; $0.fullName = "Mary Ann Lee" },
    ])
    let a = run.student("A")
    #expect(a?["Gender"] == "")
    #expect(a?["DOB"] == "")
    #expect(a?["Student_email"] == "")
    #expect(a?["Student_zip"] == "")
    // W_GENDER once per value.
    #expect(run.diagnostics(.gender).map(\.value) == ["Boy", "Girl"])
    #expect(run.diagnostics(.date).map(\.id) == ["A"])
    #expect(run.diagnostics(.email).map(\.id) == ["A"])
    #expect(run.diagnostics(.address).map(\.id) == ["A", "B"])
    #expect(run.diagnostics(.nameSplit).map(\.id) == ["D"])
    #expect(run.student("D")?["First_name"] == "Mary Ann")
    #expect(run.student("D")?["Last_name"] == "Lee")
  }

  @Test("teacher and staff columns")
  func teacherAndStaff() {
    var t = QSTeacher()
    t.id = "T1"; t.schoolId = "S1"; t.fullName = "Tom  Teach"; t.email = "bad-email"; t.teacherNumber = "77"
    t.title = "Ms."
    var s = QSStaff()
    s.id = "F1"; s.schoolId = "S1"; s.firstName = "Sal"; s.lastName = "Staff"; s.email = " sal@school.org "
    s.department = "Office"
    let run = MapperRun([qsSchool(), .teacher(t), .staff(s)])
    let teacher = run.teachers.first
    #expect(teacher?["Teacher_id"] == "T1")
    #expect(teacher?["First_name"] == "Tom")
    #expect(teacher?["Last_name"] == "Teach")
    #expect(teacher?["Teacher_email"] == "")
    #expect(teacher?["Teacher_number"] == "77")
    #expect(run.diagnostics(.nameSplit).map(\.id) == ["T1"])
    #expect(run.diagnostics(.email).map(\.id) == ["T1"])
    let staff = run.staff.first
    #expect(staff?["Staff_id"] == "F1")
    #expect(staff?["Staff_email"] == "sal@school.org")
    #expect(staff?["Department"] == "Office")
    #expect(run.summary.teachers == 1 && run.summary.staff == 1)
  }
}

// MARK: Contacts (mapping-rules.md, "Student contacts")

@Suite("RosterMapper: contacts")
struct ContactTests {
  static func run(_ guardians: [QSGuardian]) -> MapperRun {
    MapperRun([qsSchool(), qsStudent("A", guardians: guardians)])
  }

  @Test("every guardian is a contact, in order, with Contact_sis_id the guardian's ID [required + ours]")
  func contactsInOrder() {
    let run = Self.run([
      guardian("G1", first: "Mia", last: "Lee", relationship: "Mother", emergency: true, home: "(555) 111-0000",
               email: "mia@home.org"),
      guardian("G2", first: "Max", last: "Lee", relationship: "Father", cell: "555 222 0000"),
      guardian("G3", first: "Ida", last: "Lee", relationship: "Grandmother", business: "+1 555 333 0000"),
      guardian("G4", first: "Ned", last: "Near", relationship: "Neighbor", pickUp: true),
    ])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.map { $0["Contact_sis_id"] } == ["G1", "G2", "G3", "G4"])
    #expect(contacts.map { $0["Contact_name"] } == ["Mia Lee", "Max Lee", "Ida Lee", "Ned Near"])
    #expect(contacts.map { $0["Contact_relationship"] } == ["Parent", "Parent", "Grandparent", "Other"])
    #expect(contacts.map { $0["Contact_type"] } == ["Emergency", "Family", "Family", "Parent/Guardian"])
    #expect(contacts.map { $0["Contact_phone"] } == ["5551110000", "5552220000", "15553330000", nil])
    #expect(contacts.map { $0["Contact_phone_type"] } == ["Home", "Cell", "Work", nil])
    #expect(contacts.map { $0["Contact_email"] } == ["mia@home.org", nil, nil, nil])
    #expect(run.diagnostics.isEmpty)
    #expect(run.summary.contacts == 4)
    // Only Contact_* columns of students.csv.
    let columns = Set(CleverSpec.contactColumns.map(\.name))
    for contact in contacts { #expect(Set(contact.keys).isSubset(of: columns), "\(contact.keys.sorted())") }
  }

  @Test("a student with no guardians has no contacts")
  func noGuardians() {
    let run = Self.run([])
    let student = run.student("A")
    #expect(student?.contacts == [])
    #expect(student?.object["contacts"] == .array([]))
  }

  @Test("a guardian listed twice is exported once, with W_DUPLICATE_GUARDIAN")
  func duplicateGuardian() {
    let run = Self.run([
      guardian("G1", first: "Mia"), guardian("G2", first: "Max"), guardian("G1", first: "Mia"),
    ])
    #expect(run.student("A")?.contacts.map { $0["Contact_sis_id"] } == ["G1", "G2"])
    let warnings = run.diagnostics(.duplicateGuardian)
    #expect(warnings.count == 1)
    #expect(warnings.first?.id == "A")
    #expect(warnings.first?.value == "G1")
  }

  @Test("guardians without an ID are told apart by name")
  func duplicateByName() {
    let run = Self.run([guardian("", first: "Mia", last: "Lee"), guardian("", first: "mia", last: "lee"),
                        guardian("", first: "Max", last: "Lee")])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.map { $0["Contact_name"] } == ["Mia Lee", "Max Lee"])
    #expect(contacts.allSatisfy { $0["Contact_sis_id"] == nil })
    #expect(run.diagnostics(.duplicateGuardian).count == 1)
  }

  @Test("the same guardian on two students is a contact of each")
  func sharedGuardian() {
    let g = guardian("G1")
    let run = MapperRun([qsSchool(), qsStudent("A", guardians: [g]), qsStudent("B", guardians: [g])])
    #expect(run.student("A")?.contacts.count == 1)
    #expect(run.student("B")?.contacts.count == 1)
    #expect(run.diagnostics.isEmpty)
  }

  @Test("an invalid email is left out with W_CONTACT_EMAIL; the contact stays")
  func invalidEmail() {
    let run = Self.run([guardian("G1", home: "5551110000", email: "mia@home"), guardian("G2", email: " max@home.org ")])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.count == 2)
    #expect(contacts[0]["Contact_email"] == nil)
    #expect(contacts[0]["Contact_phone"] == "5551110000")
    #expect(contacts[1]["Contact_email"] == "max@home.org")
    let warnings = run.diagnostics(.contactEmail)
    #expect(warnings.count == 1)
    #expect(warnings.first?.value == "mia@home")
    #expect(warnings.first?.message.contains("G1") == true)
  }

  @Test("a phone that is not 10 or 11 digits: the next is used, W_CONTACT_PHONE names the contact")
  func invalidPhone() {
    let run = Self.run([
      guardian("G1", first: "Mia", last: "Lee", home: "555-1234", cell: "5552220000"),
      guardian("G2", first: "Max", last: "Lee", home: "12", cell: "34", business: "56"),
    ])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts[0]["Contact_phone"] == "5552220000")
    #expect(contacts[0]["Contact_phone_type"] == "Cell")
    #expect(contacts[1]["Contact_phone"] == nil)
    #expect(contacts[1]["Contact_phone_type"] == nil)
    let warnings = run.diagnostics(.contactPhone)
    #expect(warnings.map(\.value) == ["555-1234", "12", "34", "56"])
    #expect(warnings.first?.message.contains("Mia Lee") == true)
  }

  @Test("a guardian known by a full name only; one with no name is left out with W_CONTACT_NO_NAME")
  func names() {
    let run = Self.run([
      guardian("G1", first: "", last: "", relationship: "Aunt", emergency: true) ,
      { var g = guardian("G2", first: "", last: ""); g.fullName = " Ida Lee "; return g }(),
      guardian("G3", first: "Cher", last: ""),
    ])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.map { $0["Contact_sis_id"] } == ["G2", "G3"])
    #expect(contacts.map { $0["Contact_name"] } == ["Ida Lee", "Cher"])
    #expect(run.diagnostics(.contactNoName).map(\.value) == ["G1"])
  }

  @Test("the contact table reaches the records", arguments: contactDocTable)
  func contactTableInRecords(row: ContactDocRow) {
    let guardians = row.inputs.enumerated().map { index, input in
      guardian("G\(index)", first: "P\(index)", relationship: input.relationship, emergency: input.emergency,
               pickUp: input.pickUp)
    }
    let run = Self.run(guardians)
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.count == guardians.count)
    for contact in contacts {
      #expect(contact["Contact_relationship"] == row.contactRelationship)
      #expect(contact["Contact_type"] == row.contactType)
    }
  }
}

// MARK: Every code

/// A small input that produces each code clever-map's mapper can produce. `E_EMPTY` is
/// the command's (an input without records), not the mapper's.
let codeScenarios: [MappingCode: (input: [QSRecord], options: MappingOptions)] = [
  .gradeUnmapped: ([qsSchool(), qsClass("C", abbreviation: "Blue"), qsStudent("A", classId: "C")], MappingOptions()),
  .sectionNoTeacher: ([qsSchool(), qsSection("X", teachers: [])], MappingOptions()),
  .sectionTooManyTeachers: ([qsSchool(), qsSection("X", teachers: (1...11).map { "T\($0)" })], MappingOptions()),
  .sectionDuplicateTeacher: ([qsSchool(), qsSection("X", teachers: ["T1", "T1"])], MappingOptions()),
  .subjectUnknown: ([qsSchool(), qsSection("X") { $0.subject = "Juggling" }], MappingOptions()),
  .enrollmentDropped: ([qsSchool(), qsEnrollment(section: "X", student: "A")], MappingOptions()),
  .contactPhone: ([qsSchool(), qsStudent("A", guardians: [guardian("G", home: "123")])], MappingOptions()),
  .contactEmail: ([qsSchool(), qsStudent("A", guardians: [guardian("G", email: "x@")])], MappingOptions()),
  .contactNoName: ([qsSchool(), qsStudent("A", guardians: [guardian("G", first: "", last: "")])], MappingOptions()),
  .duplicateGuardian: ([qsSchool(), qsStudent("A", guardians: [guardian("G"), guardian("G")])], MappingOptions()),
  .email: ([qsSchool(), qsStudent("A") { $0.email = "nope" }], MappingOptions()),
  .date: ([qsSchool(), qsStudent("A") { $0.birthDate = "yesterday" }], MappingOptions()),
  .gender: ([qsSchool(), qsStudent("A") { $0.gender = "?" }], MappingOptions()),
  .address: ([qsSchool(), qsStudent("A") { $0.zip = "1" }], MappingOptions()),
  .phone: ({ var s = QSSchool(); s.id = "S1"; s.phone = "911"; return [QSRecord.school(s)] }(), MappingOptions()),
  .nameSplit: ([qsSchool(), qsStudent("A") { $0.firstName = ""; $0.lastName = ""; $0.fullName = "A B" }], MappingOptions()),
  .unknownSchool: ([qsStudent("A", school: "S9")], MappingOptions()),
  .unknownClass: ([qsSchool(), qsStudent("A", classId: "C9")], MappingOptions()),
  .unknownSemester: ([qsSchool(), qsTerm("A", active: true), qsSection("X", term: "B")], MappingOptions()),
  .unknownTerm: ([qsSchool(), qsSection("X")], MappingOptions(term: "Never")),
  .noActiveTerm: ([qsSchool(), qsTerm("A"), qsSection("X", term: "A")], MappingOptions()),
  .noSchoolCode: ([qsSchool("S1", code: "")], MappingOptions(schoolIDSource: .code)),
  .lateReference: ([qsSchool(), qsStudent("A", school: "S2"), qsSchool("S2")], MappingOptions()),
]

@Suite("RosterMapper: every MappingCode")
struct MappingCodeTests {
  // E_EMPTY and E_CUT_SHORT concern the whole stream: clever-map's command finds them
  // (EndToEnd and ExtractBracket tests), not the mapper.
  @Test(
    "each code the mapper can produce is produced",
    arguments: MappingCode.allCases.filter { $0 != .empty && $0 != .cutShort })
  func produced(code: MappingCode) {
    guard let scenario = codeScenarios[code] else {
      Issue.record("no scenario for \(code.rawValue)")
      return
    }
    let run = MapperRun(scenario.input, options: scenario.options)
    #expect(run.allCodes.contains(code.rawValue), "got \(run.allCodes.sorted())")
    // Warnings are diagnostics; errors are RecordError or StageFailure.
    if code.rawValue.hasPrefix("W_") {
      #expect(run.diagnostics(code).allSatisfy { $0.severity == .warning && $0.file == "in.ndjson" && $0.line != nil })
    } else {
      #expect(run.diagnostics(code).isEmpty)
    }
  }

  @Test("codes are W_ or E_, distinct, and each has a summary")
  func codes() {
    let raw = MappingCode.allCases.map(\.rawValue)
    #expect(Set(raw).count == raw.count)
    for code in MappingCode.allCases {
      #expect(code.rawValue.hasPrefix("W_") || code.rawValue.hasPrefix("E_"))
      #expect(!code.summary.isEmpty)
    }
  }
}
