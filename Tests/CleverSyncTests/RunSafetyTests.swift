import Foundation
import Testing
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// What clever-sync must never do, each as a user met it: run a program from the current
/// directory, upload a stale held set over a newer one, leave stages running, hide the
/// newest run, advise flags it does not take, keep silent through a long run.
@Suite(.serialized)
struct RunSafetyTests {
  let key = QSServer.exampleKey

  // MARK: 3. Stages are found beside clever-sync or on PATH, never in the current directory

  @Test func stagesAreNeverRunFromTheCurrentDirectory() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    // clever-sync alone in a folder; a trap named qs-extract in the working directory.
    let alone = fixture.folder + "/bin"
    try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: Shell.binaries.appendingPathComponent("clever-sync").path, toPath: alone + "/clever-sync")
    let work = fixture.folder + "/work"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let marker = fixture.folder + "/trap-ran"
    for stage in ["qs-extract", "sftp-put"] {
      try "#!/bin/sh\ntouch '\(marker)'\n".write(toFile: work + "/" + stage, atomically: true, encoding: .utf8)
      chmod(work + "/" + stage, 0o755)
    }
    for command in ["run", "test-connection"] {
      // PATH with ".", an empty entry and a relative folder: all mean the current directory.
      let result = try Shell.run(
        "cd '\(work)' && PATH=/usr/bin:/bin:.::work '\(alone)/clever-sync' \(command) --profile '\(fixture.profilePath)'")
      #expect(result.status == 69, "\(command): \(result.stdout)\(result.stderr)")
      #expect(result.stderr.contains("cannot find qs-extract: looked beside clever-sync in \(alone) and on PATH (/usr/bin:/bin)"),
              "\(result.stderr)")
      #expect(result.stderr.contains("never in the current directory") && result.stderr.contains("Install the six tools together"))
      #expect(!result.stderr.contains("NSCocoaErrorDomain"))
      #expect(!FileManager.default.fileExists(atPath: marker), "a program in the current directory was run")
    }
    let run = try #require(try fixture.history().first)
    #expect(run["status"] as? String == "Failed" && (run["reason"] as? String)?.contains("cannot find qs-extract") == true)
  }

  // MARK: 4. A stale held set is not approved over a newer upload

  @Test func approvingAHeldRunAfterANewerUploadIsRefusedUnlessRollingBackIsAsked() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    #expect(try fixture.sync("run").status == 0)  // run 1: the whole school
    // Run 2: 12 of the 39 students gone: held.
    let smaller = try fixture.smallerSchool()
    let qs = try QSServer(fixtures: [key: smaller])
    try fixture.write(source: SyncFixture.apiSource(qs))
    #expect(try fixture.sync("run", environment: ["TEST_QS_KEY": key]).status == 1)
    let heldID = try #require(try fixture.history().first?["id"] as? Int)
    // Run 3: the whole school again, uploaded.
    try fixture.write()
    #expect(try fixture.sync("run").status == 0)
    let newest = SyncFixture.csvSet(fixture.destination)

    let refused = try fixture.sync("approve \(heldID)")
    #expect(refused.status == 65, "\(refused.stderr)")
    #expect(refused.stderr.contains("run \(heldID) was held before run 3 uploaded a newer set"), "\(refused.stderr)")
    #expect(refused.stderr.contains("would roll Clever back") && refused.stderr.contains("Nothing was uploaded"))
    #expect(refused.stderr.contains("Clever would remove 12 of 38 in students.csv"), "\(refused.stderr)")
    #expect(refused.stderr.contains("--roll-back-newer-upload"))
    #expect(SyncFixture.csvSet(fixture.destination) == newest)
    #expect(try fixture.history().first?["id"] as? Int == 3, "a refused approval starts no run")

    let forced = try fixture.sync("approve \(heldID) --roll-back-newer-upload")
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stderr.contains("rolling back as asked"))
    #expect(SyncFixture.csvSet(fixture.destination) == SyncFixture.csvSet(fixture.state + "/runs/\(heldID)/csv"))
    let approval = try #require(try fixture.history().first)
    #expect(((approval["summary"] as? [String: Any])?["note"] as? String)?.contains("rolls back run 3") == true)
  }

  // MARK: 5. Stages never outlive their run

  /// Processes whose command line names the fixture's folder: the stages of its runs.
  func stagesLeft(_ fixture: SyncFixture) -> [String] {
    Fault.processes(naming: fixture.state).filter { !$0.contains("clever-sync") }
  }

  @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
  func aStopSignalCancelsTheRunStopsItsStagesAndFreesTheLock(signal: Int32) throws {
    let qs = try QSServer(rules: [["path": "/students", "stall": 20]])
    let fixture = try SyncFixture()
    try fixture.write(source: SyncFixture.apiSource(qs))
    let run = try fixture.spawn(["run"], environment: ["TEST_QS_KEY": key])
    _ = try #require(try fixture.waitFor("Running"))
    usleep(500_000)
    #expect(stagesLeft(fixture).count == 4, "\(stagesLeft(fixture))")
    kill(run.processIdentifier, signal)
    run.waitUntilExit()
    #expect(run.terminationStatus == 128 + signal)
    #expect(stagesLeft(fixture).isEmpty, "\(stagesLeft(fixture))")
    #expect(Fault.lockIsFree(fixture.state))
    let row = try #require(try fixture.history().first)
    let name = [SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP"][signal]!
    #expect(row["status"] as? String == "Cancelled", "\(row)")
    #expect((row["reason"] as? String)?.hasPrefix("stopped by \(name) during qs-extract; nothing was uploaded") == true, "\(row)")
    let id = try #require(row["id"] as? Int)
    #expect(!FileManager.default.fileExists(atPath: fixture.state + "/runs/\(id)/csv"))
    #expect(SyncFixture.csvSet(fixture.destination).isEmpty)
  }

  @Test func killingClever_syncWithSIGKILLTakesItsStagesWithIt() throws {
    let qs = try QSServer(rules: [["path": "/students", "stall": 20]])
    let fixture = try SyncFixture()
    try fixture.write(source: SyncFixture.apiSource(qs))
    let run = try fixture.spawn(["run"], environment: ["TEST_QS_KEY": key])
    let running = try #require(try fixture.waitFor("Running"))
    usleep(500_000)
    kill(run.processIdentifier, SIGKILL)
    run.waitUntilExit()
    // The stages read the end of their lifeline at once.
    let deadline = Date().addingTimeInterval(3)
    while !stagesLeft(fixture).isEmpty, Date() < deadline { usleep(20_000) }
    #expect(stagesLeft(fixture).isEmpty, "\(stagesLeft(fixture))")
    #expect(Fault.lockIsFree(fixture.state))
    // Nothing was written into the dead run's folder: no set.
    let id = try #require(running["id"] as? Int)
    usleep(300_000)
    #expect(!FileManager.default.fileExists(atPath: fixture.state + "/runs/\(id)/csv"))
    // history notices: the lock is free, so the Running row is a dead process's.
    let row = try #require(try fixture.history().first { $0["id"] as? Int == id })
    #expect(row["status"] as? String == "Interrupted", "\(row)")
  }

  @Test func tickAndDaemonStoppedBySIGTERMCancelTheirRun() throws {
    for command in [["tick"], ["daemon", "--poll", "1"]] {
      let qs = try QSServer(rules: [["path": "/students", "stall": 20]])
      let fixture = try SyncFixture()
      try fixture.write(source: SyncFixture.apiSource(qs))
      #expect(try fixture.sync("schedule add --at +1s --repeat every:5m").status == 0)
      usleep(2_100_000)
      let process = try fixture.spawn(command, environment: ["TEST_QS_KEY": key])
      _ = try #require(try fixture.waitFor("Running"), "\(command)")
      usleep(500_000)
      kill(process.processIdentifier, SIGTERM)
      process.waitUntilExit()
      // tick reports the cancelled run's status; a daemon asked to stop exits cleanly.
      #expect(process.terminationStatus == (command[0] == "tick" ? 143 : 0), "\(command)")
      #expect(stagesLeft(fixture).isEmpty && Fault.lockIsFree(fixture.state))
      let runs = try fixture.history()
      #expect(runs.map { $0["status"] as? String } == ["Cancelled", "Pending"], "\(command): \(runs)")
      #expect((runs.first?["reason"] as? String)?.contains("stopped by SIGTERM") == true)
    }
  }

  // MARK: 6. The newest run is shown first

  @Test func historyShowsTheLatestActivityFirstAndWaitingRunsLast() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    #expect(try fixture.sync("schedule add --at +2h").status == 0)
    let scheduleID = try #require(try fixture.history().first?["scheduleId"] as? Int)
    #expect(try fixture.sync("schedule remove \(scheduleID)").status == 0)  // a Cancelled row, its slot in the future
    #expect(try fixture.sync("schedule add --at +1h --repeat daily").status == 0)  // a Pending row
    try fixture.write(source: "from_dump = \"\(fixture.folder)/no-such-dump\"")
    #expect(try fixture.sync("run").status != 0)  // a Failed run, the newest activity
    let one = try fixture.sync("history --json --limit 1").records
    #expect(one.map { $0["status"] as? String } == ["Failed"], "\(one)")
    let all = try fixture.history().map { $0["status"] as? String }
    #expect(all == ["Failed", "Cancelled", "Pending"], "\(all)")
  }

  @Test func lookingAtTheHistoryNeverMakesATickSkipItsRun() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    #expect(try fixture.sync("schedule add --at +1s").status == 0)
    usleep(2_100_000)
    // history takes the lock for a moment to see whether a run is going on.
    let watcher = try Shell.run(
      "for i in $(seq 40); do clever-sync history --profile '\(fixture.profilePath)' >/dev/null 2>&1; done & "
        + "sleep 0.2; clever-sync tick --profile '\(fixture.profilePath)'; status=$?; wait; exit $status")
    #expect(watcher.status == 0, "\(watcher.stderr)")
    #expect(!watcher.stderr.contains("nothing to do"), "\(watcher.stderr)")
    #expect(try fixture.history().first?["status"] as? String == "Succeeded")
  }

  // MARK: 7. Host key advice in clever-sync's terms

  @Test(.enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
  func anUnknownHostKeyIsExplainedInTheProfilesTerms() throws {
    let sshd = try TestSSHServer(.init(user: "cleversync"))
    defer { sshd.cleanup() }
    let remote = try sshd.makeUserDirectory("clever-\(UUID().uuidString.prefix(8))")
    let fixture = try SyncFixture()
    let knownHosts = fixture.folder + "/known_hosts"
    try fixture.write(sftp: SyncFixture.sftpLines(sshd, remote, knownHosts: knownHosts))
    let environment = ["TEST_SFTP_PASSWORD": sshd.password]
    for command in ["test-connection", "run"] {
      let result = try fixture.sync(command, environment: environment)
      let text = result.stdout + result.stderr
      #expect(result.status == 77, "\(command): \(text)")
      #expect(text.contains("host_key = \"\(sshd.hostKeyFingerprint)\" under [sftp] in \(fixture.profilePath)"), "\(text)")
      #expect(text.contains("clever-sync test-connection --accept-new-host-key --profile"), "\(text)")
      #expect(!text.contains("--host-key ") && !text.contains("record it with --accept-new-host-key"), "\(text)")
    }
    let accept = try fixture.sync("test-connection --accept-new-host-key", environment: environment)
    #expect(accept.status == 0, "\(accept.stdout)\(accept.stderr)")
    #expect(try String(contentsOfFile: knownHosts, encoding: .utf8).contains("ssh-ed25519"))
    #expect(try fixture.sync("run", environment: environment).status == 0)
  }

  // MARK: 8. A long run says what it is doing

  @Test func eachStageSaysWhenItEndsInAPipe() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let result = try fixture.sync("run")
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n").map(String.init)
    let stages = ["qs-extract", "clever-map", "clever-validate", "clever-csv", "sftp-put"]
    let said = stages.map { stage in lines.firstIndex { $0.hasPrefix("clever-sync: run 1: \(stage) done in ") } }
    #expect(said.allSatisfy { $0 != nil }, "\(result.stderr)")
    let closing = lines.firstIndex { $0.hasPrefix("clever-sync: run 1: Succeeded") }
    #expect(said.compactMap { $0 } == said.compactMap { $0 }.sorted() && (said.last!! < closing!))
    #expect(lines.contains { $0.contains("clever-map done in") && $0.contains("mapped 1 school, 38 students") })
    #expect(!result.stderr.contains("\u{1B}["), "no terminal codes in a pipe")
  }

  @Test func aTerminalSeesTheRunningStageAndItsProgress() throws {
    let qs = try QSServer(rules: [["path": "/students", "stall": 1.5]])
    let fixture = try SyncFixture()
    try fixture.write(source: SyncFixture.apiSource(qs))
    // script(1) gives clever-sync a terminal; what it drew lands in the typescript.
    // Shell sets NO_COLOR=1, which turns the status line off; empty, it counts as unset.
    let typescript = fixture.folder + "/typescript"
    let result = try Shell.run(
      "script -qfec \"clever-sync run --profile '\(fixture.profilePath)'\" '\(typescript)' > /dev/null",
      environment: ["TEST_QS_KEY": key, "NO_COLOR": ""])
    #expect(result.status == 0, "\(result.stderr)")
    let drawn = String(decoding: FileManager.default.contents(atPath: typescript) ?? Data(), as: UTF8.self)
    #expect(drawn.contains("\r\u{1B}[Kclever-sync: run 1: qs-extract"), "\(drawn)")
    #expect(drawn.contains("clever-sync: run 1: qs-extract done in"))
  }
}
