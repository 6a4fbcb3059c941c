import Foundation
import Testing

/// `qs-extract --from` takes a dump folder; a plain file gets a message that says so,
/// and where a file of records goes instead. A folder that a failed run left keeps
/// its own message.
@Suite struct ExtractFromPlainFileTests {
  @Test func aFileOfQuickSchoolsRecordsIsPointedToCleverMap() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let file = try scratch.write("school.ndjson", try String(contentsOfFile: Tool.exampleSchool, encoding: .utf8))
    let result = try Tool.run("qs-extract", ["--from", file])
    #expect(result.status == 66)
    #expect(result.stderr.contains(
      "[E_QS_DUMP] \(file) is a file, not a dump folder: --from replays a folder that qs-extract --save DIR wrote; "
        + "the file holds QuickSchools records, which clever-map reads: clever-map \(file) (or clever-map < \(file))"),
            "\(result.stderr)")
    #expect(!result.stderr.contains("did not finish"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func aFileThatIsNotRecordsGetsNoAdviceAboutRecords() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let file = try scratch.write("notes.txt", "not a dump\n")
    let result = try Tool.run("qs-extract", ["--from", file])
    #expect(result.status == 66)
    #expect(result.stderr.hasSuffix(
      "[E_QS_DUMP] \(file) is a file, not a dump folder: --from replays a folder that qs-extract --save DIR wrote\n"),
            "\(result.stderr)")
  }

  @Test func aFolderWithoutManifestIsStillAnUnfinishedDump() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    try FileManager.default.createDirectory(atPath: scratch.path + "/dump/lincolnacademy", withIntermediateDirectories: true)
    let result = try Tool.run("qs-extract", ["--from", scratch.path + "/dump"])
    #expect(result.status == 65)
    #expect(result.stderr.contains(
      "[E_QS_DUMP] \(scratch.path)/dump has no manifest.json: the run that saved it did not finish, so it is not a whole dump"),
            "\(result.stderr)")
  }
}
