import Foundation
import Testing
@testable import TestHarness

/// A Failed upload's error, told once wherever a run is told: the line `clever-sync run`
/// ends with, its line in `clever-sync history`, and `clever-sync show`. The run's
/// reason and its upload result both carry it, and were once joined on one line.
@Suite(.serialized)
struct FailedRunLineTests {
  /// How many times `text` holds `part`.
  static func count(_ part: String, in text: String) -> Int { text.components(separatedBy: part).count - 1 }

  /// Runs the profile, whose upload fails with `code`; checks each telling of the run.
  func expectErrorToldOnce(_ fixture: SyncFixture, code: String, environment: [String: String] = [:]) throws {
    let run = try fixture.sync("run", environment: environment)
    #expect(run.status != 0, "\(run.stderr)")
    let line = try #require(run.stderr.split(separator: "\n").last { $0.contains("run 1: Failed") }, "\(run.stderr)")
    #expect(Self.count(code, in: String(line)) == 1, "\(line)")
    let history = try fixture.sync("history")
    let row = try #require(history.stdout.split(separator: "\n").first { $0.hasPrefix("1 ") }, "\(history.stdout)")
    #expect(row.contains("Failed") && Self.count(code, in: String(row)) == 1, "\(row)")
    let show = try fixture.sync("show 1")
    #expect(Self.count(code, in: show.stdout) == 1, "\(show.stdout)")
  }

  @Test func anUploadToAFolderThatDoesNotExistIsToldOnce() throws {
    let fixture = try SyncFixture()
    try fixture.write(sftp: "destination = \"file://\(fixture.folder)/missing\"")
    try expectErrorToldOnce(fixture, code: "[E_REMOTE_PATH]")
  }

  @Test(.enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
  func aRefusedLoginIsToldOnce() throws {
    let sshd = try TestSSHServer(.init(user: "cleversync"))
    defer { sshd.cleanup() }
    let remote = try sshd.makeUserDirectory("clever-\(UUID().uuidString.prefix(8))")
    let fixture = try SyncFixture()
    try fixture.write(sftp: SyncFixture.sftpLines(sshd, remote))
    try expectErrorToldOnce(fixture, code: "[E_AUTH]", environment: ["TEST_SFTP_PASSWORD": "not-the-password"])
  }
}
