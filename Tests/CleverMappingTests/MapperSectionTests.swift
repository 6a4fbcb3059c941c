import CleverFormat
import RosterRecords
import RecordStream
import Testing
@testable import CleverMapping

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
