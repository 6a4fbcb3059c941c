import CleverFormat
import CleverValidation
import RecordStream
import Testing
import RosterRecords

/// Rows that name a row Clever rejects are lost with it (clever-format.md section 3),
/// whichever order the rows come in.
@Suite struct CascadeTests {
  enum Order: String, CaseIterable, Sendable { case namedRowFirst, namedRowLast }

  @Test(arguments: Order.allCases) func enrollmentsOfASectionWithoutTeacherAreLost(_ order: Order) {
    let rejected = section("SE1", teacher: "")
    let rows = [enrollment(student: "ST1"), enrollment(student: "ST2")]
    let records = [school(), teacher(), student("ST1"), student("ST2")]
      + (order == .namedRowFirst ? [rejected] + rows : rows + [rejected])
    let run = ValidationRun(records)
    #expect(run.codes == codes(.required, .lost, .lost))
    let lost = run.diagnostics(.lost)
    #expect(lost.map(\.line) == (order == .namedRowFirst ? [6, 7] : [5, 6]))
    for diagnostic in lost {
      #expect(diagnostic.message.contains("section \"SE1\""), "names the section: \(diagnostic.message)")
      #expect(diagnostic.message.contains("[E_REQUIRED] Teacher_id is empty"), "the inherited reason: \(diagnostic.message)")
      #expect(diagnostic.recordType == "clever.enrollment")
      #expect(diagnostic.field == "Section_id")
      #expect(diagnostic.value == "SE1")
    }
    #expect(run.report(.enrollments).droppedRows == 2)
    #expect(run.report(.sections).droppedRows == 1)
    #expect(run.diagnostics(.emptySection).isEmpty, "a rejected section is not also reported empty")
  }

  /// clever-map writes schools last: the students wait for their school until `finish`.
  @Test(arguments: Order.allCases) func studentsOfARejectedSchoolAreLost(_ order: Order) {
    let rejected = school("S1", ["School_name": ""])
    let students = [student("ST1"), student("ST2", contacts: [contact("A"), contact("B")])]
    let run = ValidationRun(order == .namedRowFirst ? [rejected] + students : students + [rejected])
    #expect(run.codes == codes(.required, .lost, .lost))
    for diagnostic in run.diagnostics(.lost) {
      #expect(diagnostic.message.contains("school \"S1\""), "\(diagnostic.message)")
      #expect(diagnostic.message.contains("[E_REQUIRED] School_name is empty"), "\(diagnostic.message)")
      #expect(diagnostic.field == "School_id")
    }
    #expect(run.report(.students).droppedRows == 3, "ST2's two contact rows and ST1's row")
    #expect(run.report(.students).errors == 2)
  }

  @Test func aLostRowTakesItsOwnDependentsWithIt() {
    // A teacher without a first name is rejected; its section is lost; the section's
    // enrollment is lost with the section.
    let run = ValidationRun([school(), teacher("T1", ["First_name": ""]), student(), section(), enrollment()])
    #expect(run.codes == codes(.required, .lost, .lost))
    #expect(run.diagnostics(.lost).map(\.recordType) == ["clever.section", "clever.enrollment"])
  }

  @Test func aWarningRejectsNothing() {
    // A bad email, grade, date or state is a warning (issue 13): no row is lost for it.
    let run = ValidationRun([school("S1", ["School_state": "Illinois"]), teacher("T1", ["Teacher_email": "t1 at example.org"]),
                             student("ST1", ["Grade": "fifth", "DOB": "02/30/2024"]), section(), enrollment()])
    #expect(run.codes == codes(.state, .email, .grade, .date))
    #expect(run.validator.errorCount == 0)
    #expect(run.report(.enrollments).droppedRows == 0)
  }

  @Test func aSchoolThatNeverArrivesIsUnknownToEveryRowNamingIt() {
    let run = ValidationRun([teacher(school: "S9"), student(school: "S9"), section(school: "S9"),
                             enrollment(school: "S9"), staff(school: "S9")])
    #expect(run.codes == codes(Array(repeating: .unknownSchool, count: 5)))
    #expect(run.diagnostics.map(\.line) == [1, 2, 3, 4, 5])
    #expect(run.diagnostics.allSatisfy { $0.message.contains("School_id \"S9\" is not in schools.csv") })
  }

  @Test func schoolsArrivingLastAsCleverMapWritesThemAreFine() {
    let records = [teacher(school: "S1"), teacher("T2", school: "S2"), student(school: "S1"), student("ST2", school: "S2"),
                   section(school: "S1"), section("SE2", teacher: "T2", school: "S2"), enrollment(school: "S1"),
                   enrollment(section: "SE2", student: "ST2", school: "S2"), staff(school: "S2"), school("S1"), school("S2")]
    let run = ValidationRun(records)
    #expect(run.codes == [], "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.validator.reports.values.allSatisfy { $0.droppedRows == 0 })
  }

  @Test func enrollmentsArrivingBeforeTheirSectionCountForIt() {
    let run = ValidationRun([school(), teacher(), student(), enrollment(), section()])
    #expect(run.codes == [], "the section has its enrollment: no W_EMPTY_SECTION")
  }

  // MARK: Rows rejected for a reference that never resolves

  /// E_UNKNOWN_* are errors: Clever rejects (and the report counts dropped) the row
  /// whose school, teacher or student is not there. Rows that name that row are lost
  /// with it, as with any rejected row (clever-format.md section 3).
  @Test func enrollmentOfAStudentAtAMissingSchoolIsLost() {
    let run = ValidationRun([school("S1"), teacher(), student("ST1", school: "S9"), section(), enrollment()])
    // The section's only enrollment is lost, so Clever ignores the section too.
    #expect(run.codes == codes(.unknownSchool, .lost, .emptySection), "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.report(.enrollments).droppedRows == 1)
  }

  @Test func enrollmentOfASectionWithAMissingTeacherIsLost() {
    let run = ValidationRun([school(), student(), section(teacher: "T9"), enrollment()])
    #expect(run.codes == codes(.unknownTeacher, .lost), "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.report(.enrollments).droppedRows == 1)
  }

  /// A row with two unresolved references is still one row Clever drops.
  @Test func aRowWithTwoMissingReferencesIsDroppedOnce() {
    let run = ValidationRun([school("S1"), teacher(), student(), section("SE1", teacher: "T9", school: "S9"),
                             enrollment(section: "SE9", student: "ST9")])
    #expect(run.codes.filter { $0.hasPrefix("E_") } == codes(.unknownSchool, .unknownTeacher, .unknownSection, .unknownStudent))
    #expect(run.report(.sections).rows == 1)
    #expect(run.report(.sections).droppedRows == 1, "one section row, dropped once")
    #expect(run.report(.enrollments).droppedRows == 1, "one enrollment row, dropped once")
  }

  /// Schools last (clever-map's order): a section already lost with its rejected
  /// teacher, whose school then never arrives, is still one dropped row.
  @Test func aLostRowWhoseSchoolNeverArrivesIsDroppedOnce() {
    let run = ValidationRun([teacher("T1", ["First_name": ""]), section(), school("S0")])
    #expect(run.report(.sections).droppedRows <= run.report(.sections).rows,
            "sections: \(run.report(.sections)); \(run.diagnostics.map { $0.formatted(stage: "v") })")
  }
}

/// The repeats clever-format.md section 3 allows, and the district office.
@Suite struct AllowedRepeatTests {
  @Test func studentRowsPerContactIdenticalOutsideContactColumnsAreFine() {
    let rows = [contact("Laura Park", ["Contact_phone": "5551234567"]), contact("Mark Park", ["Contact_type": "Emergency"]),
                contact("Ann Park", ["Contact_relationship": "Grandparent"])]
    let records = [school()] + rows.map { student("ST1", ["Grade": "1", "DOB": "03/14/2019"], contacts: [$0]) }
      + [teacher(), section(), enrollment()]
    let run = ValidationRun(records, options: .init(rowPerContact: true))
    #expect(run.codes == [], "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.report(.students).rows == 3)
    #expect(run.report(.students).records == 3)
  }

  @Test func aStudentStandsWhenOneOfItsContactRowsIsRejected() {
    // CSV mode: the first row's only contact is incomplete; the second row stands, so
    // the student does and its enrollment is not lost.
    let records = [school(), student("ST1", contacts: [contact("A", ["Contact_type": ""])]),
                   student("ST1", contacts: [contact("B")]), teacher(), section(), enrollment()]
    let run = ValidationRun(records, options: .init(rowPerContact: true))
    #expect(run.codes == codes(.contactIncomplete))
    #expect(run.report(.students).droppedRows == 1)
  }

  @Test func aStudentWhoseEveryContactRowIsRejectedIsLostWithItsEnrollments() {
    let records = [school(), student("ST1", contacts: [contact("A", ["Contact_type": ""]), contact("B", ["Contact_name": ""])]),
                   teacher(), section(), enrollment()]
    let run = ValidationRun(records)
    // The section's only enrollment is lost, so Clever sees an empty section.
    #expect(run.codes == codes(.contactIncomplete, .contactIncomplete, .lost, .emptySection))
    #expect(run.diagnostics(.lost).first?.message.contains("every contact row of the student is rejected") == true)
    #expect(run.report(.students).droppedRows == 2)
  }

  @Test func staffRowsOfOneStaffIDAtTwoSchoolsAreFine() {
    let run = ValidationRun([school("S1"), school("S2"), staff("F1", school: "S1"), staff("F1", school: "S2")])
    #expect(run.codes == [])
    #expect(run.report(.staff).rows == 2)
  }

  @Test func aTeacherListedOnceTeachesAtAnotherSchoolThroughSections() {
    let run = ValidationRun([school("S1"), school("S2"), teacher("T1", school: "S1"), student("ST2", school: "S2"),
                             section("SE2", teacher: "T1", school: "S2"), enrollment(section: "SE2", student: "ST2", school: "S2")])
    #expect(run.codes == [])
  }

  @Test func staffAtTheDistrictOfficeNeedNoSchoolRow() {
    let office = CleverSpec.districtOfficeSchoolID
    let run = ValidationRun([school("S1"), staff("F1", school: office), staff("F1", school: "S1"), staff("F2", school: office)])
    #expect(run.codes == [])
    let alone = ValidationRun([staff("F1", school: office)])
    #expect(alone.codes == [], "no schools at all: the district office still needs none")
  }

  @Test(arguments: [CleverFile.teachers, .students, .sections, .enrollments])
  func onlyStaffMayBeAtTheDistrictOffice(_ file: CleverFile) {
    let office = CleverSpec.districtOfficeSchoolID
    let row: CleverRecord = switch file {
    case .teachers: teacher(school: office)
    case .students: student(school: office)
    case .sections: section(school: office)
    default: enrollment(school: office)
    }
    let others = minimalSet().filter { $0.file != file }
    let run = ValidationRun(others + [row])
    #expect(run.diagnostics(.unknownSchool).count == 1, "\(run.diagnostics.map { $0.formatted(stage: "v") })")
  }
}
