import CSVCodec
import CleverFiles
import CleverFormat
import Foundation
import RosterRecords

/// A fresh temporary directory for one test, removed by `cleanUp`.
struct Scratch {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("ug-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func cleanUp() { try? FileManager.default.removeItem(atPath: path) }

  /// A new empty subdirectory.
  func directory(_ name: String) throws -> String {
    let directory = path + "/" + name
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory
  }
}

/// A small district as Clever records, written as a CSV set with CleverSpec's headers.
struct Roster {
  var records: [CleverRecord]

  /// One school; `students` students (each with one contact, enrolled in one section),
  /// `teachers` teachers each with one section.
  static func district(
    students: Int = 40, teachers: Int = 4, schoolID: String = "300794", schoolName: String = "Lincoln Academy",
    schoolNumber: String = "1042"
  ) -> Roster {
    var records: [CleverRecord] = []
    var school = CleverRecord(.schools)
    school[.schoolID] = schoolID
    school[.schoolName] = schoolName
    school[.schoolNumber] = schoolNumber
    records.append(school)
    for t in 1...teachers {
      var teacher = CleverRecord(.teachers)
      teacher[.schoolID] = schoolID
      teacher[.teacherID] = "T\(t)"
      teacher[.firstName] = "Teacher"
      teacher[.lastName] = "Number \(t)"
      records.append(teacher)
      var section = CleverRecord(.sections)
      section[.schoolID] = schoolID
      section[.sectionID] = "S\(t)"
      section[.teacherID] = "T\(t)"
      section[.name] = "Class \(t)"
      records.append(section)
    }
    for s in 1...students {
      var student = CleverRecord(.students)
      student[.schoolID] = schoolID
      student[.studentID] = "\(7000 + s)"
      student[.firstName] = "Student"
      student[.lastName] = "Number \(s), \"the\" one"
      student[.grade] = "5"
      student.contacts = [["Contact_name": "Parent \(s)", "Contact_type": "Family", "Contact_sis_id": "P\(s)"]]
      records.append(student)
      var enrollment = CleverRecord(.enrollments)
      enrollment[.schoolID] = schoolID
      enrollment[.sectionID] = "S\(1 + s % teachers)"
      enrollment[.studentID] = "\(7000 + s)"
      records.append(enrollment)
    }
    return Roster(records: records)
  }

  func count(_ file: CleverFile) -> Int { records.filter { $0.file == file }.count }

  /// Removes the first `count` students and their enrollments.
  mutating func removeStudents(_ count: Int) {
    let gone = Set(records.filter { $0.file == .students }.prefix(count).map { $0[.studentID] })
    records.removeAll { ($0.file == .students || $0.file == .enrollments) && gone.contains($0[.studentID]) }
  }

  /// Changes every record of `file` whose `column` is `id`.
  mutating func update(_ file: CleverFile, _ column: String, _ id: String, _ change: (inout CleverRecord) -> Void) {
    for index in records.indices where records[index].file == file && records[index][column] == id {
      change(&records[index])
    }
  }

  /// Writes `files` (all six by default; staff.csv with its header alone when there are
  /// no staff) into `directory`: CleverSpec's headers, one row per contact.
  func write(to directory: String, files: [CleverFile] = CleverFile.allCases) throws {
    for file in files {
      var out: [UInt8] = []
      CSVWriter.appendRow(CleverRows.header(of: file, extensions: []), to: &out)
      for record in records where record.file == file {
        CleverRows.forEachRow(of: record, extensions: []) { CSVWriter.appendRow($0, to: &out) }
      }
      try Data(out).write(to: URL(fileURLWithPath: directory + "/" + file.fileName))
    }
  }
}

/// Writes raw text as a file of a set.
func writeText(_ text: String, _ directory: String, _ file: CleverFile) throws {
  try text.write(toFile: directory + "/" + file.fileName, atomically: false, encoding: .utf8)
}

/// CleverSpec's header of a file, as a CSV line.
func headerLine(_ file: CleverFile) -> String { file.columns.map(\.name).joined(separator: ",") }
