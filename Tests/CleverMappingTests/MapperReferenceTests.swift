import CleverFormat
import RosterRecords
import RecordStream
import Testing
@testable import CleverMapping

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
