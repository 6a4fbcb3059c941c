import CleverFormat
import CleverValidation
import Foundation
import RecordStream
import Testing

/// `CSVSetValidation` over small directories: what reading files adds to the record checks.
@Suite struct CSVSetTests {
  static let required = CSVSetValidation.order.filter(\.isRequired)

  /// Clever processes nothing without the file; the finding says so, and nothing is
  /// claimed about rows the absent file would have held.
  @Test(arguments: required) func aMissingRequiredFileIsTheOnlyFinding(_ file: CleverFile) throws {
    let directory = try CSVCase.directory([file.fileName: nil])
    defer { directory.remove() }
    let run = try CSVRun(directory: directory.path)
    #expect(run.codes == codes(.missingFile), "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.diagnostics.first?.file == file.fileName)
    #expect(run.diagnostics.first?.line == nil)
  }

  @Test func staffCSVIsOptional() throws {
    let directory = try CSVCase.directory(["staff.csv": nil])
    defer { directory.remove() }
    #expect(try CSVRun(directory: directory.path).codes == [])
  }

  @Test func anUpperCaseFileNameIsMissingWithAHint() throws {
    let directory = try CSVCase.directory(["schools.csv": nil, "Schools.csv": Array(CSVCase.base["schools.csv"]!.utf8)])
    defer { directory.remove() }
    let run = try CSVRun(directory: directory.path)
    #expect(run.codes == codes(.missingFile))
    #expect(run.diagnostics.first?.message.contains("Schools.csv is there") == true)
  }

  /// Validating single files: references into files not given are not checked, and
  /// without enrollments.csv no section can be called empty.
  @Test func singleFilesClaimNothingAboutFilesNotGiven() throws {
    let directory = try CSVCase.directory()
    defer { directory.remove() }
    let run = try CSVRun(files: [directory.path + "/sections.csv", directory.path + "/teachers.csv"])
    #expect(run.codes == [], "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    let alone = try CSVRun(files: [directory.path + "/enrollments.csv"])
    #expect(alone.codes == [], "\(alone.diagnostics.map { $0.formatted(stage: "v") })")
  }

  @Test func aBOMLFLineEndsAndAnyHeaderCaseAreRead() throws {
    var changes: [String: [UInt8]?] = [:]
    for (name, text) in CSVCase.base {
      var lines = text.components(separatedBy: "\r\n")
      lines[0] = name == "students.csv" ? lines[0].uppercased() : lines[0].lowercased()
      changes[name] = [0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: "\n").utf8)
    }
    let directory = try CSVCase.directory(changes)
    defer { directory.remove() }
    let run = try CSVRun(directory: directory.path)
    #expect(run.codes == [], "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.validator.recordCount == 7)
  }

  @Test func extensionColumnsAreAcceptedOutsideEnrollments() throws {
    let directory = try CSVCase.directory([
      "staff.csv": Array("School_id,Staff_id,Staff_email,First_name,Last_name,ext.badge,EXT.Floor\r\nS1,F1,f1@example.org,Jan,Doe,B1,2\r\n".utf8),
      "schools.csv": Array("School_id,School_name,School_number,ext.region\r\nS1,Lincoln,1,North\r\n".utf8),
    ])
    defer { directory.remove() }
    #expect(try CSVRun(directory: directory.path).codes == [])
  }

  /// A file read only up to an unreadable line: the rows after it were not read, so the
  /// rows naming them cannot be said to name rows the file does not have.
  @Test func rowsNamingTheUnreadPartOfAFileAreNotUnknown() throws {
    let teachers = Array("School_id,Teacher_id,First_name,Last_name\r\nS1,T0,Bo,Ek\r\nS1,T1,Andr".utf8) + [0xE9]
      + Array(",Lee\r\n".utf8)
    let directory = try CSVCase.directory(["teachers.csv": teachers])
    defer { directory.remove() }
    let run = try CSVRun(directory: directory.path)
    #expect(run.unreadable)
    #expect(run.codes == codes(.unreadable), "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.diagnostics.first?.line == 3)
  }

  /// CSV files are read in dependency order, so an unknown reference is decided at
  /// once and the rows naming the rejected row are lost with it.
  @Test func inCSVSetsRowsNamingARowWithAnUnknownReferenceAreLost() throws {
    let directory = try CSVCase.directory([
      "sections.csv": Array("School_id,Section_id,Teacher_id\r\nS1,SE1,T9\r\n".utf8),
    ])
    defer { directory.remove() }
    let run = try CSVRun(directory: directory.path)
    #expect(run.codes == codes(.unknownTeacher, .lost), "\(run.diagnostics.map { $0.formatted(stage: "v") })")
    #expect(run.diagnostics.first { $0.code == "E_LOST" }?.message.contains("its teacher \"T9\" is not in teachers.csv") == true)
    #expect(run.report(.sections).droppedRows == 1)
    #expect(run.report(.enrollments).droppedRows == 1)

    let school = try CSVCase.directory([
      "students.csv": Array("School_id,Student_id,Last_name,First_name\r\nS9,ST1,Park,Hazel\r\n".utf8),
    ])
    defer { school.remove() }
    let lost = try CSVRun(directory: school.path)
    // The section's only enrollment is lost, so the section is empty too.
    #expect(lost.codes == codes(.unknownSchool, .lost, .emptySection), "\(lost.diagnostics.map { $0.formatted(stage: "v") })")
  }

  @Test func twoPathsForOneFileAreRefused() throws {
    let directory = try CSVCase.directory()
    defer { directory.remove() }
    try FileManager.default.createDirectory(atPath: directory.path + "/b", withIntermediateDirectories: true)
    try directory.write("b/staff.csv", Array(CSVCase.base["staff.csv"]!.utf8))
    #expect(throws: StageFailure.self) {
      try CSVRun(files: [directory.path + "/staff.csv", directory.path + "/b/staff.csv"])
    }
  }

  @Test func namesThatAreNotCleverFilesAreRefused() throws {
    let directory = try CSVCase.directory()
    defer { directory.remove() }
    try directory.write("pupils.csv", Array("a\r\n".utf8))
    #expect(throws: StageFailure.self) { try CSVRun(files: [directory.path + "/pupils.csv"]) }
    #expect(throws: StageFailure.self) { try CSVRun(files: [directory.path + "/nothing-here.csv"]) }
    #expect(throws: StageFailure.self) { try CSVRun(directory: directory.path + "/no-such-directory") }
  }
}
