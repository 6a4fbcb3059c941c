import CSVCodec
import CleverFiles
import CleverFormat
import Foundation
import Testing
import RosterRecords

struct CleverFileSetWriterTests {
  static func sampleRecords() -> [CleverRecord] {
    var school = CleverRecord(.schools)
    school[.schoolID] = "300794"
    school[.schoolName] = "Lincoln Academy, \"East\""
    school[.schoolNumber] = "1042"
    var student = CleverRecord(.students)
    student[.schoolID] = "300794"
    student[.studentID] = "7001"
    student[.firstName] = "Zoë"
    student[.lastName] = "O'Brien"
    student.contacts = [
      ["Contact_name": "Laura Bennett", "Contact_type": "Family", "Contact_relationship": "Parent",
       "Contact_phone": "5551234567", "Contact_phone_type": "Home", "Contact_sis_id": "8001"],
      ["Contact_name": "Mark, Sr.", "Contact_type": "Emergency", "Contact_sis_id": "8002"],
    ]
    var loner = CleverRecord(.students)
    loner[.schoolID] = "300794"
    loner[.studentID] = "7002"
    loner[.firstName] = "Liam"
    loner[.lastName] = "Smith\nJr."
    var teacher = CleverRecord(.teachers)
    teacher[.schoolID] = "300794"
    teacher[.teacherID] = "5001"
    teacher[.firstName] = "Ann"
    teacher[.lastName] = "Lee"
    var section = CleverRecord(.sections)
    section[.schoolID] = "300794"
    section[.sectionID] = "9001"
    section[.teacherID] = "5001"
    var enrollment = CleverRecord(.enrollments)
    enrollment[.schoolID] = "300794"
    enrollment[.sectionID] = "9001"
    enrollment[.studentID] = "7001"
    return [teacher, student, loner, section, enrollment, school]
  }

  private func write(_ records: [CleverRecord], to directory: String) throws -> [FileRecord] {
    let writer = try CleverFileSetWriter(directory: directory)
    for record in records { try writer.append(record) }
    return try writer.commit()
  }

  @Test func writesTheFiveRequiredFilesWithExactHeadersCRLFAndMode0600() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    let written = try write(Self.sampleRecords(), to: out)
    #expect(written.map(\.name) == ["schools.csv", "students.csv", "teachers.csv", "sections.csv", "enrollments.csv"])
    #expect(try scratch.names(out) == ["enrollments.csv", "schools.csv", "sections.csv", "students.csv", "teachers.csv"])
    for file in written {
      let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
      #expect(data.count == file.bytes)
      #expect(!data.starts(with: [0xEF, 0xBB, 0xBF]), "no BOM")
      let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
      #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file.name) mode")
      let header = String(decoding: data.prefix { $0 != 0x0D }, as: UTF8.self)
      let cleverFile = CleverFile(fileName: file.name)!
      #expect(header == cleverFile.columns.map(\.name).joined(separator: ","))
      // Every line ends in CRLF, none in a bare LF (the student's name has a quoted LF).
      let rows = try CSVFileReader.rows(of: Array(data))
      #expect(rows.count == file.rows + 1)
    }
    let students = try scratch.text("out/students.csv")
    #expect(students.components(separatedBy: "\r\n").count == 5)  // header, 2 contact rows, 1 row, trailing ""
    #expect(students.contains("\"Smith\nJr.\""))
    #expect(written.first { $0.name == "students.csv" }?.rows == 3)
  }

  @Test func sha256MatchesTheBytesOnDisk() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let written = try write(Self.sampleRecords(), to: scratch.path + "/out")
    for file in written {
      let sum = try Process.output("/usr/bin/sha256sum", [file.path]).prefix(64)
      #expect(String(sum) == file.sha256)
    }
  }

  @Test func staffFileOnlyWhenThereIsStaffAndAStaleOneIsRemoved() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    var staff = CleverRecord(.staff)
    staff[.schoolID] = "300794"
    staff[.staffID] = "6001"
    staff[.staffEmail] = "a@b.org"
    _ = try write(Self.sampleRecords() + [staff], to: out)
    #expect(try scratch.names(out).contains("staff.csv"))
    _ = try write(Self.sampleRecords(), to: out)
    #expect(try !scratch.names(out).contains("staff.csv"))
  }

  @Test func extensionColumnsSeenLatePadEarlierRows() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    var records = Self.sampleRecords()
    var late = CleverRecord(.teachers)
    late[.schoolID] = "300794"
    late[.teacherID] = "5002"
    late[.firstName] = "Bo"
    late[.lastName] = "Ng"
    late.setExtension("ext.room", "12, east")
    records.append(late)
    _ = try write(records, to: scratch.path + "/out")
    let rows = try CSVFileReader.rows(of: Array(try scratch.bytes("out/teachers.csv")))
    #expect(rows[0].fields.last == "ext.room")
    #expect(rows.allSatisfy { $0.fields.count == rows[0].fields.count })
    #expect(rows[1].fields.last == "")
    #expect(rows[2].fields.last == "12, east")
  }

  @Test func replacingKeepsOtherFilesAndLeavesNoStaging() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    _ = try write(Self.sampleRecords(), to: out)
    try "keep me".write(toFile: out + "/notes.txt", atomically: false, encoding: .utf8)
    var records = Self.sampleRecords()
    records.removeAll { $0.file == .enrollments }
    _ = try write(records, to: out)
    #expect(try scratch.text("out/notes.txt") == "keep me")
    #expect(try scratch.text("out/enrollments.csv") == "School_id,Section_id,Student_id\r\n")
    #expect(try scratch.names(scratch.path) == ["out"], "no staging directory left behind")
  }

  @Test func refusesADirectoryHoldingASubdirectoryAndChangesNothing() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    _ = try write(Self.sampleRecords(), to: out)
    let before = try scratch.bytes("out/students.csv")
    try FileManager.default.createDirectory(atPath: out + "/archive", withIntermediateDirectories: false)
    #expect(throws: (any Error).self) { _ = try write([], to: out) }
    #expect(try scratch.bytes("out/students.csv") == before)
    #expect(try scratch.names(scratch.path) == ["out"])
  }

  @Test func abandoningLeavesThePreviousSetUntouched() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    _ = try write(Self.sampleRecords(), to: out)
    let before = try scratch.names(out).map { try scratch.bytes("out/" + $0) }
    let writer = try CleverFileSetWriter(directory: out)
    try writer.append(Self.sampleRecords()[0])
    writer.abandon()
    #expect(try scratch.names(out).map { try scratch.bytes("out/" + $0) } == before)
    #expect(try scratch.names(scratch.path) == ["out"])
  }

  @Test func removesStagingThatADeadRunLeft() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    // PID 2^22 + 1 is above Linux's pid_max, so no live process has it.
    let stale = scratch.path + "/.out.clever-csv-staging-4194305-77"
    try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
    try "x".write(toFile: stale + "/students.csv.body", atomically: false, encoding: .utf8)
    _ = try write(Self.sampleRecords(), to: scratch.path + "/out")
    #expect(try scratch.names(scratch.path) == ["out"])
  }
}

extension Process {
  static func output(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
