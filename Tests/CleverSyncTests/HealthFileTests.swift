import Foundation
import Testing
@testable import TestHarness

/// `clever-sync daemon --profiles DIR --health-file F` and `clever-sync health`: the file
/// appears only once the profiles were read, is touched while the daemon lives (a run
/// going on or not), grows old when the daemon is frozen, and goes when it stops.
@Suite(.serialized) struct HealthFileTests {
  private func health(_ fleet: FleetFixture, _ file: String, maxAge: Int = 60) throws -> Shell.Result {
    try fleet.sync("health --file '\(file)' --max-age \(maxAge)")
  }

  private func modified(_ file: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
  }

  /// Holds profile `name`'s history locked (SQLite's exclusive locking mode) for
  /// `seconds`: a daemon that opens it waits. Returns once the lock is taken.
  private func holdHistory(_ fleet: FleetFixture, _ name: String, seconds: Double) throws -> Process {
    let taken = fleet.folder + "/locked"
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    holder.arguments = ["python3", "-c", """
      import sqlite3, sys, time
      c = sqlite3.connect(sys.argv[1], isolation_level=None)
      c.execute("PRAGMA locking_mode=EXCLUSIVE")
      c.execute("BEGIN EXCLUSIVE"); c.execute("COMMIT")
      open(sys.argv[2], "w").close()
      time.sleep(float(sys.argv[3]))
      """, fleet.state(name) + "/history.sqlite", taken, String(seconds)]
    try holder.run()
    let deadline = Date().addingTimeInterval(10)
    while !FileManager.default.fileExists(atPath: taken) && Date() < deadline { usleep(20_000) }
    return holder
  }

  @Test func notHealthyUntilTheProfilesWereRead() throws {
    let qs = try FleetFixture.server(keys: 1)
    let fleet = try FleetFixture()
    try fleet.add("first", server: qs, key: 0)
    try fleet.schedule("first", in: 3600)
    // The daemon's first read of the folder waits 3 s on the profile's history.
    let holder = try holdHistory(fleet, "first", seconds: 3)
    defer { if holder.isRunning { holder.terminate() } }
    // A file an earlier daemon left, fresh: not to be taken for this one's health.
    let file = fleet.folder + "/health"
    FileManager.default.createFile(atPath: file, contents: nil)
    let daemon = try fleet.spawnDaemon(["--health-file", file])
    defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
    sleep(1)
    let reading = try health(fleet, file)
    #expect(reading.status == 1, "healthy while the profiles are still being read: \(reading.stdout)")
    #expect(reading.stderr.contains("has read its profiles yet"), "\(reading.stderr)")

    let deadline = Date().addingTimeInterval(15)
    while try health(fleet, file).status != 0 && Date() < deadline { usleep(100_000) }
    let ready = try health(fleet, file)
    #expect(ready.status == 0, "\(ready.stderr)")
    #expect(ready.stdout.hasPrefix("healthy: \(file) touched"), "\(ready.stdout)")
    let log = (try? String(contentsOfFile: fleet.folder + "/daemon.log", encoding: .utf8)) ?? ""
    #expect(log.contains("profile first: served"), "opened its history: \(log)")
  }

  @Test func touchedDuringARunStaleWhenFrozenGoneWhenStopped() throws {
    // Each request waits a second: the run goes on for several.
    let qs = try FleetFixture.server(keys: 1, stall: 1)
    let fleet = try FleetFixture()
    try fleet.add("first", server: qs, key: 0)
    try fleet.schedule("first")
    let file = fleet.folder + "/health"
    let daemon = try fleet.spawnDaemon(["--health-file", file])
    defer {
      kill(daemon.processIdentifier, SIGCONT)
      if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) }
    }
    #expect(try fleet.waitFor("first", "Running"))
    let before = try #require(modified(file))
    sleep(3)
    #expect(try fleet.status("first") == "Running")
    #expect((modified(file) ?? .distantPast) > before, "touched while a run goes on")
    #expect(try health(fleet, file, maxAge: 3).status == 0)

    // Frozen (as a stuck loop would be): the file grows old, and the probe says so.
    kill(daemon.processIdentifier, SIGSTOP)
    sleep(3)
    let stale = try health(fleet, file, maxAge: 2)
    #expect(stale.status == 1)
    #expect(stale.stderr.contains("more than --max-age 2"), "\(stale.stderr)")
    kill(daemon.processIdentifier, SIGCONT)
    sleep(2)
    #expect(try health(fleet, file, maxAge: 2).status == 0, "touched again once the loop goes on")

    kill(daemon.processIdentifier, SIGTERM)
    daemon.waitUntilExit()
    #expect(daemon.terminationStatus == 0)
    #expect(!FileManager.default.fileExists(atPath: file), "a stopped daemon leaves no health file")
    #expect(try health(fleet, file).status == 1)
  }

  @Test func healthFileNeedsAFleetAndAWritableFolder() throws {
    let fleet = try FleetFixture()
    let single = try fleet.sync("daemon --profile '\(fleet.path("first"))' --health-file '\(fleet.folder)/health'")
    #expect(single.status == 64)
    #expect(single.stderr.contains("--health-file needs --profiles or --all"), "\(single.stderr)")
    let nowhere = try fleet.sync("daemon --profiles '\(fleet.profiles)' --health-file '\(fleet.folder)/none/health'")
    #expect(nowhere.status == 73)
    #expect(nowhere.stderr.contains("cannot write the health file"), "\(nowhere.stderr)")
  }
}
