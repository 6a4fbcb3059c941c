import Foundation
import Testing
@testable import TestHarness

/// A fleet whose schools all upload to one SFTP server (a real sshd on loopback), as a
/// provider's schools all upload to sftp.clever.com: two daemons share the due runs, each
/// slot uploads one set, and `--sftp-per-host` bounds each daemon's runs to the host.
@Suite struct FleetSFTPTests {
  @Test(.enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
  func twoDaemonsUploadEachSlotOnceOverSFTPWithinThePerHostBound() throws {
    let sshd = try TestSSHServer(.init(user: "cleversync"))
    defer { sshd.cleanup() }
    let qs = try FleetFixture.server(keys: 8, stall: 0.05)
    let fleet = try FleetFixture()
    fleet.usePostgres(try PostgresServer.shared().makeDatabase().url)
    fleet.environment["TEST_SFTP_PASSWORD"] = sshd.password
    let names = (0..<8).map { "school-\($0)" }
    for (index, name) in names.enumerated() {
      let remote = try sshd.makeUserDirectory("clever-\(name)")
      try fleet.add(name, server: qs, key: index, sftp: SyncFixture.sftpLines(sshd, remote))
    }
    let arrivals = try UploadWatch(root: sshd.homeDirectory)
    let nodes = ["node-a", "node-b"]
    let daemons = try nodes.map {
      try fleet.spawnDaemon(node: $0, ["--jobs", "4", "--sftp-per-host", "1", "--poll", "1", "--lease", "10"])
    }
    defer { for daemon in daemons { daemon.terminate(); daemon.waitUntilExit() } }
    _ = try fleet.scheduleAll(names)
    let finished = try fleet.wait(seconds: 180, every: 1) {
      try fleet.statuses().values.allSatisfy { $0.count == 1 && !["Pending", "Running"].contains($0[0]) }
    }
    let logs = nodes.map { fleet.daemonLog($0) }.joined(separator: "\n")
    let statuses = try fleet.statuses()
    #expect(finished, "\(statuses)\n\(logs)")
    let received = try arrivals.stop()
    var intervals: [(start: Date, end: Date)] = []
    for name in names {
      let runs = try fleet.history("--profile \(name)")
      #expect(runs.count == 1 && runs.first?["status"] as? String == "Succeeded", "\(name): \(runs)\n\(logs)")
      #expect(received["clever-\(name)"] == 1, "\(name) received \(received["clever-\(name)"] ?? 0) sets")
      let dates = ["startedAt", "endedAt"].map { (runs.first?[$0] as? String).flatMap(ISO8601DateFormatter().date) }
      if let start = dates[0], let end = dates[1] { intervals.append((start, end)) }
    }
    // One run at a time to the host per daemon: never more than two at once.
    let most = intervals.map { run in intervals.filter { $0.start <= run.start && run.start < $0.end }.count }.max()
    #expect(intervals.count == names.count && (most ?? 0) <= nodes.count, "\(intervals)")
  }
}
