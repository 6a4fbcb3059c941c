import CleverFormat
import RecordStream
import RosterRecords
import Testing

/// Every record type of the stream, encoded, written as a line, parsed and decoded,
/// comes back equal; and a record with every value set writes exactly its type's keys.
@Suite struct RoundTripTests {
  /// Through the bytes of a line, as between two stages.
  static func line(_ object: JSONObject) throws -> JSONObject {
    let text = JSONWriter.string(.object(object))
    #expect(!text.contains("\n"))
    guard case .object(let back) = try JSONParser.parse(text) else { throw RecordError("E_TEST", "not an object") }
    return back
  }

  static func keys(_ object: JSONObject) -> [String] { object.keys.filter { $0 != "type" } }

  @Test func controlRecords() throws {
    let validation = ValidationRecord(errors: 3, warnings: 7, records: 210, strict: true)
    #expect(try ValidationRecord(object: Self.line(validation.object)) == validation)
    #expect(Self.keys(validation.object) == ValidationRecord.keys)

    let file = FileRecord(name: "students.csv", path: "/out/students.csv", rows: 52, bytes: 9876, sha256: "ab12")
    #expect(try FileRecord(object: Self.line(file.object)) == file)
    #expect(Self.keys(file.object) == FileRecord.keys)

    let upload = UploadRecord(name: "students.csv", remotePath: "/upload/students.csv", bytes: 9876, sha256: "ab12",
                              seconds: 1.25, attempts: 2, status: "failed", error: "the server closed the channel")
    #expect(try UploadRecord(object: Self.line(upload.object)) == upload)
    #expect(Self.keys(upload.object) == UploadRecord.keys)
    #expect(upload.object["seconds"] == .number("1.250"))

    let started = ExtractRecord(status: .started, source: "api", schools: ["lincoln", "oak"])
    let complete = ExtractRecord(status: .complete, source: "dump", schools: ["lincoln"],
                                 records: [("qs.school", 1), ("qs.student", 39)])
    #expect(ExtractRecord(object: try Self.line(started.object)) == started)
    #expect(ExtractRecord(object: try Self.line(complete.object)) == complete)
    #expect(Self.keys(complete.object) == ExtractRecord.keys)

    let diagnostic = Diagnostic(.error, "E_LOST", "lost with its section", file: "<stdin>", line: 12,
                                recordType: "clever.enrollment", id: "9001", field: "Section_id", value: "9001")
    #expect(try Diagnostic(object: Self.line(diagnostic.record)) == diagnostic)
    #expect(Self.keys(diagnostic.record) == Diagnostic.keys)
  }

  @Test(arguments: QSRecord.types) func quickSchoolsRecord(_ type: String) throws {
    let record = try #require(Self.sample(type))
    #expect(record.type == type)
    let back = try QSRecord(type: type, object: Self.line(record.object))
    #expect(back == record)
    #expect(Self.keys(record.object) == QSRecord.keys[type])
  }

  @Test(arguments: CleverFile.allCases) func cleverRecord(_ file: CleverFile) throws {
    var record = CleverRecord(file)
    for (index, column) in file.columns.enumerated() where !column.isContact { record[column.name] = "v\(index)" }
    if file == .students {
      var contact = CleverContact()
      for key in RecordTypes.contactKeys { contact[ColumnName(key)] = "c" }
      record.contacts = [contact]
    }
    if file.acceptsExtensions { record.setExtension("ext.house", "Blue") }
    guard case .object(let object) = try JSONParser.parse(record.jsonLine) else { throw RecordError("E_TEST", "not an object") }
    #expect(try CleverRecord(object: object) == record)
    let keys = Self.keys(object).filter { !$0.hasPrefix("ext.") }
    #expect(keys == RecordTypes.all[file.recordType])
  }

  /// A record of `type` with every value set, so that every key is written.
  static func sample(_ type: String) -> QSRecord? {
    switch type {
    case "qs.school":
      var r = QSSchool()
      (r.id, r.code, r.name, r.number, r.street, r.city, r.state) = ("1", "lincoln", "Lincoln", "42", "1 Elm", "Oak", "IL")
      (r.zip, r.phone, r.principalName, r.principalEmail) = ("62704", "5552014400", "E. Hart", "eh@example.org")
      return .school(r)
    case "qs.class":
      var r = QSClass()
      (r.id, r.schoolId, r.name, r.abbreviation) = ("3", "1", "First Grade", "1")
      return .gradeLevel(r)
    case "qs.semester":
      var r = QSSemester()
      (r.id, r.schoolId, r.name, r.startDate, r.endDate, r.active) = ("4", "1", "Fall", "2026-08-24", "2026-12-18", true)
      return .semester(r)
    case "qs.teacher":
      var r = QSTeacher()
      (r.id, r.schoolId, r.firstName, r.middleName, r.lastName, r.fullName) = ("5", "1", "Ann", "B", "Cole", "Ann B Cole")
      (r.email, r.teacherNumber, r.stateId, r.title) = ("ac@example.org", "T5", "S5", "Ms.")
      return .teacher(r)
    case "qs.staff":
      var r = QSStaff()
      (r.id, r.schoolId, r.firstName, r.lastName, r.fullName) = ("6", "1", "Jan", "Diaz", "Jan Diaz")
      (r.email, r.title, r.department) = ("jd@example.org", "Registrar", "Office")
      return .staff(r)
    case "qs.student":
      var r = QSStudent()
      (r.id, r.schoolId, r.studentNumber, r.stateId, r.firstName, r.middleName) = ("7", "1", "N7", "S7", "Eve", "F")
      (r.lastName, r.fullName, r.classId, r.birthDate, r.gender, r.email) =
        ("Gray", "Eve F Gray", "3", "2019-03-14", "Female", "eg@example.org")
      (r.street, r.city, r.state, r.zip, r.hasLeft, r.deleted, r.isExpelled, r.hasGraduated) =
        ("2 Elm", "Oak", "IL", "62704", true, true, true, true)
      var guardian = QSGuardian()
      (guardian.id, guardian.firstName, guardian.lastName, guardian.fullName, guardian.relationship) =
        ("8", "Hal", "Gray", "Hal Gray", "Father")
      (guardian.isEmergencyContact, guardian.isAuthorizedToPickUp, guardian.homePhone, guardian.cellPhone) =
        (true, true, "5550000001", "5550000002")
      (guardian.businessPhone, guardian.email) = ("5550000003", "hg@example.org")
      r.guardians = [guardian]
      #expect(Self.keys(guardian.object) == QSGuardian.keys)
      return .student(r)
    case "qs.section":
      var r = QSSection()
      (r.id, r.schoolId, r.name, r.code, r.classId, r.semesterId) = ("9", "1", "Reading", "R-1", "3", "4")
      (r.period, r.subject, r.courseName, r.courseNumber, r.teacherIds) = ("2", "Language", "Reading", "R1", ["5", "6"])
      return .section(r)
    case "qs.enrollment":
      var r = QSEnrollment()
      (r.schoolId, r.sectionId, r.studentId) = ("1", "9", "7")
      return .enrollment(r)
    default:
      return nil
    }
  }
}
