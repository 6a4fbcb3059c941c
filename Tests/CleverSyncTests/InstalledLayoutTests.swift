import Foundation
import Testing
@testable import TestHarness

/// clever-sync as `make install` and the Debian package leave it: the six tools together in
/// one bin folder that need not be on PATH (a systemd unit or a crontab line names
/// clever-sync by its full path), or clever-sync reached through a symbolic link to such
/// a folder (GNU Stow, a link in /usr/local/bin).
@Suite(.serialized)
struct InstalledLayoutTests {
  static let tools = ["qs-extract", "clever-map", "clever-validate", "clever-csv", "sftp-put", "clever-sync"]

  /// The six built tools copied into `prefix`/bin, as an install puts them.
  private func install(into prefix: String) throws -> String {
    let bin = prefix + "/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    for tool in Self.tools {
      try FileManager.default.copyItem(atPath: Shell.binaries.appendingPathComponent(tool).path, toPath: bin + "/" + tool)
    }
    return bin
  }

  /// A whole run by `cleverSync` from the root folder, with PATH pointing nowhere: only
  /// the stages beside it can run.
  private func wholeRun(_ cleverSync: String, _ fixture: SyncFixture) throws -> Shell.Result {
    try Shell.run("cd / && PATH=/nonexistent '\(cleverSync)' run --profile '\(fixture.profilePath)'")
  }

  @Test func anInstalledCleverSyncRunsTheStagesBesideItWithoutPath() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let bin = try install(into: fixture.folder + "/usr/local")
    let result = try wholeRun(bin + "/clever-sync", fixture)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(SyncFixture.csvSet(fixture.destination).keys.contains("students.csv"))
  }

  @Test func aCleverSyncReachedThroughASymlinkRunsTheStagesBesideTheRealExecutable() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let bin = try install(into: fixture.folder + "/stow/clever-roster")
    let links = fixture.folder + "/usr/local/bin"
    try FileManager.default.createDirectory(atPath: links, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: links + "/clever-sync", withDestinationPath: bin + "/clever-sync")
    let result = try wholeRun(links + "/clever-sync", fixture)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(SyncFixture.csvSet(fixture.destination).keys.contains("students.csv"))
  }
}
