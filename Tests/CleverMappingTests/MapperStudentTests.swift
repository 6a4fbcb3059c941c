import CleverFormat
import RosterRecords
import RecordStream
import Testing
@testable import CleverMapping

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
