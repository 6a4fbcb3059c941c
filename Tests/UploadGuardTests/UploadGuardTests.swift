import CleverFormat
import Foundation
import RecordStream
import Testing

@testable import UploadGuard
import RosterRecords

struct UploadGuardTests {
  /// Writes `previous` and `next` into a scratch directory and compares them.
  private func compare(
    _ previous: Roster, _ next: Roster, thresholds: GuardThresholds = GuardThresholds(),
    previousFiles: [CleverFile] = CleverFile.allCases, nextFiles: [CleverFile] = CleverFile.allCases
  ) throws -> GuardReport {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let before = try scratch.directory("previous")
    let after = try scratch.directory("next")
    try previous.write(to: before, files: previousFiles)
    try next.write(to: after, files: nextFiles)
    return try UploadGuard.compare(previous: before, next: after, thresholds: thresholds)
  }

  private func file(_ report: GuardReport, _ file: CleverFile) -> FileDifference? {
    report.files.first { $0.name == file.fileName }
  }

  @Test func identicalSetsShowNoChangeAndAreNotHeld() throws {
    let roster = Roster.district()
    let report = try compare(roster, roster)
    #expect(report.files.map(\.name) == CleverFile.allCases.map(\.fileName))
    for difference in report.files {
      #expect(difference.added == 0 && difference.removed == 0 && difference.changed == 0, "\(difference)")
      #expect(difference.before == difference.after)
    }
    #expect(file(report, .students)?.before == 40)
    #expect(file(report, .enrollments)?.before == 40)
    #expect(file(report, .staff)?.before == 0)
    #expect(!report.held && report.reasons.isEmpty && report.migrations.isEmpty && !report.firstUpload)
  }

  @Test func thirtyPercentOfStudentsRemovedHoldsTheRun() throws {
    let previous = Roster.district()
    var next = previous
    next.removeStudents(12)
    let report = try compare(previous, next)
    let students = try #require(file(report, .students))
    #expect(students.before == 40 && students.after == 28 && students.removed == 12 && students.added == 0)
    #expect(students.removedPercent == 30)
    #expect(file(report, .enrollments)?.removed == 12)  // no limit on enrollments by default
    #expect(report.held)
    #expect(report.reasons == ["students.csv: 12 of 40 students removed (30.0%), more than the 10% allowed"])
    #expect(report.text.contains("Held"))
  }

  @Test(arguments: [2, 4])  // 5%, and exactly the 10% allowed
  func removalsWithinTheLimitAreNotHeld(removed: Int) throws {
    let previous = Roster.district()
    var next = previous
    next.removeStudents(removed)
    let report = try compare(previous, next)
    #expect(file(report, .students)?.removed == removed)
    #expect(!report.held && report.reasons.isEmpty)
  }

  @Test func aChangedRowIsChangedNotRemovedAndAdded() throws {
    let previous = Roster.district()
    var next = previous
    next.update(.teachers, "Teacher_id", "T2") { $0[.lastName] = "Married Name" }
    next.update(.sections, "Section_id", "S3") { $0[.teacherID] = "T1" }
    let report = try compare(previous, next)
    let teachers = try #require(file(report, .teachers))
    #expect(teachers.changed == 1 && teachers.added == 0 && teachers.removed == 0)
    #expect(file(report, .sections)?.changed == 1)
    #expect(file(report, .students)?.changed == 0)
    #expect(!report.held)
  }

  @Test func aStudentWithTwoContactRowsOfWhichOneChangesIsOneChangedStudent() throws {
    var previous = Roster.district()
    previous.update(.students, "Student_id", "7005") {
      $0.contacts.append(["Contact_name": "Grandma", "Contact_type": "Emergency", "Contact_phone": "5551234567"])
    }
    var next = previous
    next.update(.students, "Student_id", "7005") { $0.contacts[1][.contactPhone] = "5559876543" }
    let report = try compare(previous, next)
    let students = try #require(file(report, .students))
    #expect(students.before == 40 && students.after == 40)  // students, not rows (41 rows)
    #expect(students.changed == 1 && students.removed == 0 && students.added == 0)
  }

  @Test func contactRowsInAnotherOrderOrApartAreTheSameStudent() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let before = try scratch.directory("previous")
    let after = try scratch.directory("next")
    let header = headerLine(.students)
    func row(_ id: String, _ contact: String) -> String {
      CleverFile.students.columns.map { column in
        switch column.name {
        case "School_id": "1"
        case "Student_id": id
        case "First_name": "Ana"
        case "Last_name": "Ruiz"
        case "Contact_name": contact
        case "Contact_type": contact.isEmpty ? "" : "Family"
        default: ""
        }
      }.joined(separator: ",")
    }
    try writeText([header, row("7", "Mom"), row("7", "Dad"), row("8", "")].joined(separator: "\r\n") + "\r\n", before, .students)
    // Dad first, and student 8 between Ana's rows: still one unchanged student 7.
    try writeText([header, row("7", "Dad"), row("8", ""), row("7", "Mom")].joined(separator: "\n") + "\n", after, .students)
    let report = try UploadGuard.compare(previous: before, next: after, thresholds: GuardThresholds())
    #expect(report.files == [FileDifference(name: "students.csv", before: 2, after: 2, added: 0, removed: 0, changed: 0)])
  }

  @Test func headerCaseAndColumnOrderAreNotChanges() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let before = try scratch.directory("previous")
    let after = try scratch.directory("next")
    try writeText("School_id,Teacher_id,First_name,Last_name\r\n1,T1,Ann,Lee\r\n", before, .teachers)
    try writeText("\u{FEFF}last_name,TEACHER_ID,first_name,school_id,Title\nLee,T1,Ann,1,\n", after, .teachers)
    let report = try UploadGuard.compare(previous: before, next: after, thresholds: GuardThresholds())
    #expect(report.files.first?.changed == 0)
  }

  @Test func thresholdOverrides() throws {
    let previous = Roster.district()
    var next = previous
    next.removeStudents(12)  // 30% of students and of enrollments
    #expect(try !compare(previous, next, thresholds: GuardThresholds(["students.csv": 50])).held)
    #expect(try compare(previous, next, thresholds: GuardThresholds(["Students": 29.5])).held)
    let enrollments = try compare(previous, next, thresholds: GuardThresholds(["students.csv": 50, "enrollments.csv": 25]))
    #expect(enrollments.held)
    #expect(enrollments.reasons == ["enrollments.csv: 12 of 40 enrollments removed (30.0%), more than the 25% allowed"])
    var lifted = GuardThresholds()
    lifted.maximumRemovedPercent["students.csv"] = nil
    #expect(try !compare(previous, next, thresholds: lifted).held)
    #expect(GuardThresholds().limit(for: "teachers.csv") == 10 && GuardThresholds().limit(for: "staff.csv") == nil)
    #expect(GuardThresholds(["students": 20, "pupils.csv": 5, "sections.csv": 120]).problems == [
      "pupils.csv is not a Clever file (schools.csv, students.csv, teachers.csv, sections.csv, enrollments.csv, staff.csv)",
      "sections.csv: the removal limit must be a percentage from 0 to 100, not 120.0",
    ])
  }

  @Test func aShareJustOverTheLimitIsNotShownAsTheLimit() throws {
    let previous = Roster.district(students: 996)
    var next = previous
    next.removeStudents(100)  // 10.04%
    let report = try compare(previous, next)
    #expect(report.reasons == ["students.csv: 100 of 996 students removed (10.04%), more than the 10% allowed"])
  }

  @Test func schoolIDChangeIsAMigrationNotAMassDeletion() throws {
    let previous = Roster.district(schoolID: "lincolnacademy", schoolNumber: "")
    var next = previous
    for index in next.records.indices { next.records[index]["School_id"] = "300794" }
    // Even a zero limit on schools does not hold a migration.
    let report = try compare(previous, next, thresholds: GuardThresholds(["schools.csv": 0]))
    #expect(report.migrations == [
      SchoolMigration(
        oldID: "lincolnacademy", newID: "300794", name: "Lincoln Academy",
        moves: ["students.csv": 40, "teachers.csv": 4, "sections.csv": 4, "enrollments.csv": 40]),
    ])
    #expect(report.migrations[0].message == """
      School "Lincoln Academy" changes School_id from "lincolnacademy" to "300794": Clever will remove the old \
      school and add the new one (moving 40 students, 4 teachers, 4 sections, 40 enrollments). \
      This is a migration, not a mass deletion.
      """)
    let schools = try #require(file(report, .schools))
    #expect(schools.removed == 1 && schools.added == 1 && schools.migrated == 1 && schools.removedPercent == 0)
    let students = try #require(file(report, .students))
    #expect(students.changed == 40 && students.removed == 0 && students.added == 0)
    #expect(!report.held && report.reasons.isEmpty)
    #expect(report.text.contains("Migration: School \"Lincoln Academy\""))
    #expect(report.json.contains("\"oldID\":\"lincolnacademy\",\"newID\":\"300794\""))
  }

  @Test func migrationByNumberWhenTheNameChangedAndRealDeletionsStillHold() throws {
    var previous = Roster.district(schoolID: "lincoln", schoolName: "Lincoln", schoolNumber: "1042")
    var other = CleverRecord(.schools)
    other[.schoolID] = "closed"
    other[.schoolName] = "Closed School"
    other[.schoolNumber] = "77"
    previous.records.append(other)
    var next = previous
    next.records.removeAll { $0.file == .schools && $0[.schoolID] == "closed" }
    for index in next.records.indices where next.records[index]["School_id"] == "lincoln" {
      next.records[index]["School_id"] = "300794"
    }
    next.update(.schools, "School_id", "300794") { $0[.schoolName] = "Lincoln Academy" }
    next.removeStudents(10)
    let report = try compare(previous, next, thresholds: GuardThresholds(["schools.csv": 40]))
    #expect(report.migrations.map(\.oldID) == ["lincoln"] && report.migrations.map(\.newID) == ["300794"])
    #expect(report.migrations[0].name == "Lincoln Academy")
    #expect(report.migrations[0].moves["students.csv"] == 30)  // the 10 removed students do not move
    let schools = try #require(file(report, .schools))
    #expect(schools.removed == 2 && schools.migrated == 1 && schools.removedPercent == 50)
    #expect(report.reasons == [
      "schools.csv: 1 of 2 schools removed (50.0%), more than the 40% allowed",
      "students.csv: 10 of 40 students removed (25.0%), more than the 10% allowed",
    ])
  }

  @Test func twoSchoolsOfTheSameNameAreNoMigration() throws {
    var previous = Roster.district(students: 2, teachers: 1, schoolID: "a", schoolNumber: "")
    var twin = CleverRecord(.schools)
    twin[.schoolID] = "b"
    twin[.schoolName] = "Lincoln Academy"
    previous.records.append(twin)
    var next = previous
    for index in next.records.indices where next.records[index]["School_id"] == "a" {
      next.records[index]["School_id"] = "1"
    }
    next.update(.schools, "School_id", "b") { $0[.schoolID] = "2" }
    let report = try compare(previous, next)
    #expect(report.migrations.isEmpty)
    #expect(file(report, .schools)?.removed == 2)
  }

  @Test func firstUploadComparesNothingAndIsNeverHeld() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let next = try scratch.directory("next")
    try Roster.district().write(to: next, files: [.schools, .students, .teachers, .sections, .enrollments])
    let report = try UploadGuard.compare(previous: nil, next: next, thresholds: GuardThresholds(["students.csv": 0]))
    #expect(report.firstUpload && !report.held && report.reasons.isEmpty)
    #expect(report.files.map(\.name) == ["schools.csv", "students.csv", "teachers.csv", "sections.csv", "enrollments.csv"])
    #expect(report.files.allSatisfy { $0.before == 0 && $0.added == $0.after && $0.removed == 0 })
    #expect(report.text.contains("First upload"))
  }

  @Test func aFileMissingNowCountsAllItsRecordsRemoved() throws {
    let roster = Roster.district()
    var withStaff = roster
    var staff = CleverRecord(.staff)
    staff[.schoolID] = "300794"
    staff[.staffID] = "A1"
    staff[.staffEmail] = "a1@example.org"
    withStaff.records.append(staff)
    let report = try compare(
      roster, withStaff, previousFiles: [.schools, .students, .teachers, .sections, .enrollments],
      nextFiles: [.schools, .students, .sections, .enrollments, .staff])
    let teachers = try #require(file(report, .teachers))
    #expect(teachers.before == 4 && teachers.after == 0 && teachers.removed == 4 && teachers.removedPercent == 100)
    #expect(file(report, .staff) == FileDifference(name: "staff.csv", before: 0, after: 1, added: 1, removed: 0, changed: 0))
    #expect(report.reasons == ["teachers.csv: 4 of 4 teachers removed (100.0%), more than the 10% allowed"])
  }

  @Test func anEmptyPreviousFileIsZeroPercentRemoved() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let before = try scratch.directory("previous")
    let after = try scratch.directory("next")
    try writeText(headerLine(.students) + "\r\n", before, .students)
    try writeText("", before, .teachers)  // 0 bytes: no records either
    try Roster.district().write(to: after, files: [.students, .teachers])
    let report = try UploadGuard.compare(previous: before, next: after, thresholds: GuardThresholds())
    #expect(report.files.map(\.removedPercent) == [0, 0])
    #expect(report.files.map(\.added) == [40, 4])
    #expect(!report.held)
  }

  @Test func aStaffMemberAtTwoSchoolsIsOneRecord() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let before = try scratch.directory("previous")
    let after = try scratch.directory("next")
    try writeText("School_id,Staff_id,Staff_email,First_name,Last_name\nx,A1,a@b.org,A,B\ny,A1,a@b.org,A,B\n", before, .staff)
    try writeText("School_id,Staff_id,Staff_email,First_name,Last_name\ny,A1,a@b.org,A,B\n", after, .staff)
    let report = try UploadGuard.compare(previous: before, next: after, thresholds: GuardThresholds())
    #expect(report.files == [FileDifference(name: "staff.csv", before: 1, after: 1, added: 0, removed: 0, changed: 1)])
  }

  @Test func badCSVThrowsWithTheFileAndLine() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let before = try scratch.directory("previous")
    let after = try scratch.directory("next")
    try Roster.district().write(to: before)
    try Roster.district().write(to: after)
    try writeText("School_id,Teacher_id,First_name,Last_name\n1,T1,Ann,Lee\n1,T2,\"Bo,Ng\n", after, .teachers)
    let error = try #require(throws: StageFailure.self) {
      try UploadGuard.compare(previous: before, next: after, thresholds: GuardThresholds())
    }
    #expect(error.place == after + "/teachers.csv:3")
    #expect(error.message.contains("next set"))
    try writeText("School_id,Teacher_id\n1,T1,extra\n", before, .teachers)
    try Roster.district().write(to: after)
    let fields = try #require(throws: StageFailure.self) {
      try UploadGuard.compare(previous: before, next: after, thresholds: GuardThresholds())
    }
    #expect(fields.place == before + "/teachers.csv:2" && fields.code == "E_CSV_FIELDS")
    #expect(throws: StageFailure.self) {
      try UploadGuard.compare(previous: scratch.path + "/nowhere", next: after, thresholds: GuardThresholds())
    }
  }

  @Test func jsonIsOneObjectWithTheVerdictAndEveryFile() throws {
    let previous = Roster.district()
    var next = previous
    next.removeStudents(12)
    let report = try compare(previous, next)
    guard case .object(let object) = try JSONParser.parse(report.json) else {
      Issue.record("not an object: \(report.json)")
      return
    }
    #expect(object["held"] == .bool(true))
    #expect(object["firstUpload"] == .bool(false))
    guard case .array(let files)? = object["files"], case .object(let students) = files[1] else {
      Issue.record("no files: \(report.json)")
      return
    }
    #expect(files.count == 6)
    #expect(students["name"] == .string("students.csv") && students["removed"] == .number("12"))
    #expect(students["removedPercent"] == .number("30.0") && students["maximumRemovedPercent"] == .number("10.0"))
    #expect(students["overThreshold"] == .bool(true))
    #expect(object["migrations"] == .array([]))
  }

  @Test func textIsATable() throws {
    let previous = Roster.district()
    var next = previous
    next.removeStudents(12)
    let lines = try compare(previous, next).text.split(separator: "\n").map(String.init)
    #expect(lines[0].split(separator: " ").prefix(6) == ["file", "before", "after", "added", "removed", "changed"])
    #expect(lines[2].split(separator: " ") == ["students.csv", "40", "28", "0", "12", "0", "30.0%", "10%", "OVER"])
    #expect(lines.contains("  students.csv: 12 of 40 students removed (30.0%), more than the 10% allowed"))
  }

  /// 100,000 students with a contact each, one in ten changed, 1% removed.
  @Test func aHundredThousandStudentsCompareInSeconds() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let before = try scratch.directory("previous")
    let after = try scratch.directory("next")
    func students(_ next: Bool) -> String {
      var text = headerLine(.students) + "\r\n"
      text.reserveCapacity(100_000 * 120)
      let columns = CleverFile.students.columns.map(\.name)
      for s in 0..<100_000 where !(next && s % 100 == 0) {
        let changed = next && s % 10 == 1
        text += columns.map { column -> String in
          switch column {
          case "School_id": "300794"
          case "Student_id": String(100_000 + s)
          case "First_name": "First\(s)"
          case "Last_name": changed ? "Renamed" : "Last\(s)"
          case "Grade": "5"
          case "Contact_name": "Parent \(s)"
          case "Contact_type": "Family"
          default: ""
          }
        }.joined(separator: ",") + "\r\n"
      }
      return text
    }
    try writeText(students(false), before, .students)
    try writeText(students(true), after, .students)
    let clock = ContinuousClock()
    var report: GuardReport?
    let elapsed = try clock.measure {
      report = try UploadGuard.compare(previous: before, next: after, thresholds: GuardThresholds())
    }
    #expect(report?.files == [
      FileDifference(name: "students.csv", before: 100_000, after: 99_000, added: 0, removed: 1_000, changed: 10_000),
    ])
    // A few seconds in a release build; debug builds are several times slower.
    #expect(elapsed < .seconds(30), "took \(elapsed)")
    print("100,000 students compared in \(elapsed)")
  }
}
