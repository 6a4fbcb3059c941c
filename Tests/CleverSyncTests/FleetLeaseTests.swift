import Foundation
import RunHistory
import Testing
@testable import TestHarness

/// Several daemons share one fleet's due runs through leases in the history store: each
/// slot runs once, a daemon that dies gives its runs up after its lease, and a PostgreSQL
/// restart neither doubles an upload nor leaves the history wrong. The SQLite store,
/// which one machine's daemon uses, passes the same tests with one daemon.
@Suite(.serialized) struct FleetLeaseTests {
  enum Store: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case postgresql, sqlite
    var testDescription: String { rawValue }
    /// The machines: PostgreSQL is shared by three; SQLite is one machine's.
    var nodes: [String] { self == .postgresql ? ["node-a", "node-b", "node-c"] : ["node-a"] }
  }

  private func fleet(_ store: Store) throws -> FleetFixture {
    let fleet = try FleetFixture()
    if store == .postgresql { fleet.usePostgres(try PostgresServer.shared().makeDatabase().url) }
    return fleet
  }

  @Test(arguments: Store.allCases) func twoHundredProfilesDueAtOnceRunOnceEachAcrossTheDaemons(_ store: Store) throws {
    let jobs = 3
    let qs = try FleetFixture.server(keys: 100, stall: 0.01)
    let fleet = try fleet(store)
    let names = (0..<200).map { "school-\($0)" }
    // School i and school i + 100 share a key: their runs must never overlap.
    for (index, name) in names.enumerated() { try fleet.add(name, server: qs, key: index % 100) }
    let daemons = try store.nodes.map {
      try fleet.spawnDaemon(node: $0, ["--jobs", "\(jobs)", "--poll", "2", "--lease", "10"])
    }
    defer { for daemon in daemons { daemon.terminate(); daemon.waitUntilExit() } }
    let counter = RunCounter(daemons: daemons.map(\.processIdentifier))
    let arrivals = try UploadWatch(root: fleet.folder + "/clever")
    _ = try fleet.scheduleAll(names)
    let finished = try fleet.wait(seconds: 600, every: 3) {
      try fleet.statuses().values.reduce(0) { $0 + $1.filter { $0 != "Pending" && $0 != "Running" }.count } >= 200
    }
    #expect(finished, "not every run ended")
    // What each destination received, seen by inotify: one set each.
    let received = try arrivals.stop()
    for name in names { #expect(received[name] == 1, "\(name) received \(received[name] ?? 0) sets") }
    // The history, read whole (to the millisecond): one run per slot, and the two schools
    // of a key never at once.
    var runs: [String: RunRecord] = [:]
    for name in names {
      let history = try store == .postgresql
        ? RunHistory(databaseURL: DatabaseURL(fleet.environment["CLEVER_SYNC_DATABASE_URL"]!))
        : RunHistory(path: fleet.state(name) + "/history.sqlite")
      let all = try history.runs(profile: name)
      #expect(all.count == 1 && all.first?.status == .succeeded && all.first?.uploaded == true, "\(name): \(all)")
      runs[name] = all.first
    }
    for index in 0..<100 {
      let (a, b) = (runs["school-\(index)"], runs["school-\(index + 100)"])
      guard let aStart = a?.startedAt, let aEnd = a?.endedAt, let bStart = b?.startedAt, let bEnd = b?.endedAt
      else { continue }
      #expect(aEnd <= bStart || bEnd <= aStart, "school-\(index) and school-\(index + 100) share a key and overlapped")
    }
    let most = counter.stop()
    #expect(most.each.values.allSatisfy { $0 <= jobs } && most.each.count == store.nodes.count, "\(most.each)")
    if store.nodes.count > 1 {
      #expect(most.total > jobs, "the daemons ran at the same time: \(most.total) runs at most")
    }
    for node in store.nodes { #expect(fleet.daemonLog(node).contains(": run "), "\(node) ran nothing") }
  }

  /// One machine dies mid-run (its daemon and everything below it killed at once): the
  /// run it held ends Interrupted once its lease expired (at once, on the same machine,
  /// whose process table shows it dead), the profile's next slot runs once, and the other
  /// daemons go on.
  @Test(arguments: Store.allCases) func aDaemonKilledMidRunGivesItsRunUpAndTheNextSlotRunsOnce(_ store: Store) throws {
    let qs = try FleetFixture.server(keys: 2, stall: 0.5)
    let fleet = try fleet(store)
    try fleet.add("slow", server: qs, key: 0)
    try fleet.add("other", server: qs, key: 1)
    let arguments = ["--jobs", "2", "--poll", "1", "--lease", "5"]
    let arrivals = try UploadWatch(root: fleet.folder + "/clever")
    try fleet.schedule("slow", in: 1)
    let first = try fleet.spawnDaemon(node: "node-a", arguments)
    let running = try fleet.wait(seconds: 60, every: 0.3) { try fleet.status("slow") == "Running" }
    #expect(running, "\(fleet.daemonLog("node-a"))")
    sleep(2)  // well into its extraction
    try fleet.schedule("slow", in: 2)
    FleetFixture.killTree(first.processIdentifier)
    first.waitUntilExit()
    let killedAt = Date()
    // PostgreSQL: the other machines; SQLite: the same machine, its daemon started again.
    let nodes = store == .postgresql ? Array(store.nodes.dropFirst()) : store.nodes
    let survivors = try nodes.map { try fleet.spawnDaemon(node: $0, arguments) }
    defer { for daemon in survivors { daemon.terminate(); daemon.waitUntilExit() } }
    try fleet.schedule("other", in: 1)
    let settled = try fleet.wait(seconds: 120, every: 0.5) {
      let statuses = try fleet.statuses()
      return statuses["slow"]?.sorted() == ["Interrupted", "Succeeded"] && statuses["other"] == ["Succeeded"]
    }
    let statuses = try fleet.statuses()
    #expect(settled, "\(statuses)\n\(store.nodes.map { fleet.daemonLog($0) }.joined())")
    let slow = try fleet.history("--profile slow")
    let interrupted = slow.first { $0["status"] as? String == "Interrupted" }
    #expect((interrupted?["reason"] as? String)?.contains("ended without finishing the run") == true, "\(slow)")
    #expect(interrupted?["upload"] == nil, "the killed run uploaded nothing")
    if store == .postgresql, let ended = (interrupted?["endedAt"] as? String).flatMap(ISO8601DateFormatter().date) {
      // Another machine waits for the lease (5 s, last renewed at most 5/3 s before the kill).
      #expect(ended.timeIntervalSince(killedAt) >= 2, "marked \(ended.timeIntervalSince(killedAt)) s after the kill")
    }
    // The killed run uploaded nothing; the next slot one set.
    #expect(try arrivals.stop() == ["slow": 1, "other": 1])
    #expect(fleet.uploaded("slow").count == 5)
  }

  /// PostgreSQL restarts while runs go on: they wait for it or fail saying why; no slot
  /// runs twice, and the history ends with every run final.
  @Test func postgresRestartedMidRunDoublesNothingAndLeavesTheHistoryConsistent() throws {
    let server = try PostgresServer.dedicated()
    let database = try server.makeDatabase()
    let qs = try FleetFixture.server(keys: 6, stall: 0.3)
    let fleet = try FleetFixture()
    fleet.usePostgres(database.url)
    let names = (0..<6).map { "school-\($0)" }
    for (index, name) in names.enumerated() { try fleet.add(name, server: qs, key: index) }
    let daemons = try ["node-a", "node-b"].map {
      try fleet.spawnDaemon(node: $0, ["--jobs", "2", "--poll", "1", "--lease", "8"])
    }
    defer { for daemon in daemons { daemon.terminate(); daemon.waitUntilExit() } }
    let arrivals = try UploadWatch(root: fleet.folder + "/clever")
    _ = try fleet.scheduleAll(names)
    let count = { (statuses: String) in
      Int(try server.sql("SELECT count(*) FROM run WHERE status IN (\(statuses))", database: database.name)
        .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
    #expect(try fleet.wait(seconds: 60, every: 0.2) { try count("'running'") >= 2 }, "no run started")
    try server.restart(down: 2)
    let final = "'succeeded', 'failed', 'interrupted', 'cancelled', 'held', 'skipped'"
    let ended = try fleet.wait(seconds: 180, every: 1) { try count(final) == names.count }
    let statuses = try fleet.statuses()
    #expect(ended, "\(statuses)\n\(fleet.daemonLog("node-a"))\n\(fleet.daemonLog("node-b"))")
    let rows = try server.sql("SELECT profile, status, uploaded, coalesce(reason, '') FROM run", database: database.name)
      .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    #expect(rows.count == names.count, "one run per slot: \(rows)")
    let received = try arrivals.stop()
    for row in rows {
      let (name, status, uploaded, reason) = (row[0], row[1], row[2], row[3])
      // Uploaded once if the history says so, else never.
      #expect(received[name] == (uploaded == "t" ? 1 : 0), "\(row): received \(received[name] ?? 0) sets")
      if status == "succeeded" {
        #expect(uploaded == "t" && fleet.uploaded(name).count == 5, "\(row)")
      } else {
        #expect(["failed", "interrupted"].contains(status) && uploaded == "f", "\(row)")
        #expect(reason.contains("PostgreSQL") || reason.contains("history") || reason.contains("ended without"), "\(row)")
      }
    }
  }

  /// `clever-sync run` on another machine (its own copy of the profile, its own state
  /// folder) while a daemon's run holds the profile: refused, naming the holder; once
  /// that run has ended, it runs.
  @Test func aManualRunOnAnotherMachineWaitsForTheDaemonsClaim() throws {
    let qs = try FleetFixture.server(keys: 1, stall: 0.4)
    let fleet = try fleet(.postgresql)
    try fleet.add("slow", server: qs, key: 0)
    let copy = fleet.folder + "/machine-b/slow.toml"
    try FileManager.default.createDirectory(atPath: fleet.folder + "/machine-b", withIntermediateDirectories: true)
    try String(contentsOfFile: fleet.path("slow"), encoding: .utf8)
      .replacingOccurrences(of: fleet.state("slow"), with: fleet.folder + "/machine-b/state")
      .write(toFile: copy, atomically: true, encoding: .utf8)
    try fleet.schedule("slow", in: 1)
    let daemon = try fleet.spawnDaemon(node: "node-a", ["--jobs", "1", "--poll", "1", "--lease", "5"])
    defer { daemon.terminate(); daemon.waitUntilExit() }
    let running = try fleet.wait(seconds: 60, every: 0.3) { try fleet.status("slow") == "Running" }
    #expect(running, "\(fleet.daemonLog("node-a"))")
    var machineB = fleet.environment
    machineB["CLEVER_SYNC_NODE"] = "node-b"
    let refused = try Shell.run("clever-sync run --profile '\(copy)'", environment: machineB)
    #expect(refused.status == 75, "\(refused.stderr)")
    #expect(refused.stderr.contains("another run of profile slow is in progress (run ") && refused.stderr.contains("held by node-a/"),
            "\(refused.stderr)")
    #expect(try fleet.wait(seconds: 60, every: 0.3) { try fleet.status("slow") == "Succeeded" })
    let manual = try Shell.run("clever-sync run --profile '\(copy)'", environment: machineB)
    #expect(manual.status == 0, "\(manual.stderr)")
    #expect(try fleet.statuses()["slow"] == ["Succeeded", "Succeeded"])
  }

  /// A run whose machine died, of a profile with no next slot: another daemon marks it
  /// Interrupted once its lease expired, though no run of the profile claims it. (Read
  /// with psql: `clever-sync history` would mark it itself.)
  @Test func aDeadRunWithNoNextSlotIsMarkedInterruptedByAnotherDaemon() throws {
    let server = try PostgresServer.shared()
    let database = try server.makeDatabase()
    let qs = try FleetFixture.server(keys: 1, stall: 0.5)
    let fleet = try FleetFixture()
    fleet.usePostgres(database.url)
    try fleet.add("slow", server: qs, key: 0)
    try fleet.schedule("slow", in: 1)
    let arguments = ["--jobs", "1", "--poll", "1", "--lease", "4"]
    let first = try fleet.spawnDaemon(node: "node-a", arguments)
    let status = { try server.sql("SELECT status FROM run", database: database.name) }
    let running = try fleet.wait(seconds: 60, every: 0.3) { try status() == "running\n" }
    #expect(running, "\(fleet.daemonLog("node-a"))")
    FleetFixture.killTree(first.processIdentifier)
    first.waitUntilExit()
    let other = try fleet.spawnDaemon(node: "node-b", arguments)
    defer { other.terminate(); other.waitUntilExit() }
    let marked = try fleet.wait(seconds: 30, every: 0.5) { try status() == "interrupted\n" }
    let now = try status()
    #expect(marked, "\(now)\n\(fleet.daemonLog("node-b"))")
    #expect(fleet.daemonLog("node-b").contains("was left Running by a process that ended: marked Interrupted"))
  }

  /// A run's process that stops renewing its claim (SIGSTOPped here; a hang looks the
  /// same from outside) would hold its profile on this machine for as long as it lives.
  /// Its daemon stops it once the lease has lapsed for a lease more: it uploads nothing,
  /// its run ends final, and the profile's next slot runs.
  @Test(arguments: Store.allCases) func aRunThatStopsRenewingItsClaimIsStoppedByItsDaemon(_ store: Store) throws {
    let qs = try FleetFixture.server(keys: 1, stall: 0.5)
    let fleet = try fleet(store)
    try fleet.add("stuck", server: qs, key: 0)
    let arrivals = try UploadWatch(root: fleet.folder + "/clever")
    try fleet.schedule("stuck", in: 1)
    let daemon = try fleet.spawnDaemon(node: "node-a", ["--jobs", "1", "--poll", "1", "--lease", "3"])
    defer { daemon.terminate(); daemon.waitUntilExit() }
    let started = try fleet.wait(seconds: 60, every: 0.2) { fleet.daemonLog("node-a").contains("run 1 started (pid ") }
    #expect(started, "\(fleet.daemonLog("node-a"))")
    let log = fleet.daemonLog("node-a")
    let pid = log.components(separatedBy: "run 1 started (pid ").dropFirst().first
      .flatMap { Int32($0.prefix { $0.isNumber }) }
    try #require(pid != nil, "\(log)")
    #expect(try fleet.wait(seconds: 30, every: 0.2) { try fleet.status("stuck") == "Running" })
    kill(pid!, SIGSTOP)
    let stoppedAt = Date()
    try fleet.schedule("stuck", in: 1)
    let settled = try fleet.wait(seconds: 120, every: 0.5) {
      let statuses = try fleet.statuses()["stuck"] ?? []
      return statuses.contains("Succeeded") && statuses.count == 2 && !statuses.contains("Running")
    }
    let stuck = try fleet.history("--profile stuck")
    #expect(settled, "\(stuck)\n\(fleet.daemonLog("node-a"))")
    let first = stuck.first { ($0["id"] as? Int) == 1 }
    #expect(["Cancelled", "Failed", "Interrupted"].contains(first?["status"] as? String ?? ""), "\(stuck)")
    #expect(first?["upload"] == nil, "the stopped run uploaded nothing: \(stuck)")
    let warning = "run 1: its process (pid \(pid!)) has not renewed its claim for over 3 s: stopped"
    #expect(fleet.daemonLog("node-a").contains(warning), "\(fleet.daemonLog("node-a"))")
    // Not before its lease lapsed, and a lease more.
    let ended = (first?["endedAt"] as? String).flatMap(ISO8601DateFormatter().date)
    #expect(ended.map { $0.timeIntervalSince(stoppedAt) >= 3 } == true, "ended \(String(describing: ended))")
    #expect(try arrivals.stop() == ["stuck": 1])
  }
}
