import Foundation
import Testing
@testable import TestHarness

/// `clever-sync daemon --profiles DIR`: profiles added and removed while it runs, and a
/// stop that leaves no process behind.
@Suite(.serialized) struct FleetDaemonTests {
  @Test func servesProfilesAddedOnHangupDropsRemovedOnesAndStopsCleanly() throws {
    let qs = try FleetFixture.server(keys: 3)
    let fleet = try FleetFixture()
    try fleet.add("first", server: qs, key: 0)
    try fleet.schedule("first")
    let daemon = try fleet.spawnDaemon()
    defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
    #expect(try fleet.waitFor("first", "Succeeded"), "the first profile's run")

    // A profile added while it runs: served after SIGHUP.
    try fleet.add("second", server: qs, key: 1)
    try fleet.schedule("second", in: 2)
    kill(daemon.processIdentifier, SIGHUP)
    #expect(try fleet.waitFor("second", "Succeeded"), "the added profile's run")
    #expect(daemon.isRunning, "SIGHUP re-reads the folder; it does not stop the daemon")

    // A profile removed: its scheduled run no longer happens.
    try fleet.schedule("first", in: 2)
    let kept = fleet.folder + "/first.toml"
    try FileManager.default.moveItem(atPath: fleet.path("first"), toPath: kept)
    kill(daemon.processIdentifier, SIGHUP)
    sleep(4)
    let runs = try fleet.sync("history --json --profile '\(kept)'").records
    #expect(runs.map { $0["status"] as? String } == ["Succeeded", "Pending"], "\(runs)")

    // A run in progress when SIGTERM comes: Cancelled, and nothing left running.
    try qs.script([["path": "*", "stall": 0.5]])
    try fleet.add("third", server: qs, key: 2)
    try fleet.schedule("third")
    kill(daemon.processIdentifier, SIGHUP)
    #expect(try fleet.waitFor("third", "Running"))
    kill(daemon.processIdentifier, SIGTERM)
    daemon.waitUntilExit()
    #expect(daemon.terminationStatus == 0)
    #expect(try fleet.status("third") == "Cancelled")
    // "[/]tmp/...": the pattern does not match the shell that runs pgrep.
    let left = try Shell.run("pgrep -af '[/]\(fleet.folder.dropFirst())' || true")
    #expect(left.stdout.isEmpty, "processes left: \(left.stdout)")
    let log = (try? String(contentsOfFile: fleet.folder + "/daemon.log", encoding: .utf8)) ?? ""
    #expect(log.contains("profile second: served") && log.contains("profile first: no longer served"), "\(log)")
    #expect(!log.contains("SECRET"), "no key in the log")
  }
}
