import Foundation
import Testing
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// clever-sync run as a user would, against real components: SQLite on disk, the
/// scripted QuickSchools server, OpenSSH's sshd, and the stages' executables.
@Suite(.serialized)
struct CleverSyncCommandTests {
  let key = QSServer.exampleKey

  @Test(.enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
  func aManualRunUploadsOverSFTPAndKeepsNoSecret() throws {
    let sshd = try TestSSHServer(.init(user: "cleversync"))
    defer { sshd.cleanup() }
    let remote = try sshd.makeUserDirectory("clever-\(UUID().uuidString.prefix(8))")
    let qs = try QSServer()
    let fixture = try SyncFixture()
    try fixture.write(
      source: SyncFixture.apiSource(qs),
      sftp: SyncFixture.sftpLines(sshd, remote, verify: true))
    let environment = ["TEST_QS_KEY": key, "TEST_SFTP_PASSWORD": sshd.password]
    let result = try fixture.sync("run", environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    let run = try #require(try fixture.history().first)
    #expect(run["status"] as? String == "Succeeded" && run["trigger"] as? String == "manual")
    #expect((run["upload"] as? String)?.contains("uploaded 5 files") == true, "\(run)")
    let artifacts = try #require((run["summary"] as? [String: Any])?["files"] as? [[String: Any]])
    #expect(artifacts.count == 5)
    // The server has exactly the set the run built.
    let built = SyncFixture.csvSet(fixture.state + "/runs/\(run["id"] as? Int ?? 0)/csv")
    #expect(built.count == 5 && SyncFixture.csvSet(remote) == built)
    // No secret anywhere in the state directory: database, artifacts, logs.
    let secretPart = String(key.split(separator: ".")[1])
    for (path, text) in fixture.stateFiles() {
      #expect(!text.contains(sshd.password), "\(path) holds the SFTP password")
      #expect(!text.contains(secretPart), "\(path) holds the API key")
    }
    var info = stat()
    stat(fixture.state + "/history.sqlite", &info)
    #expect(info.st_mode & 0o077 == 0)
    stat(fixture.state + "/runs/\(run["id"] as? Int ?? 0)/csv/students.csv", &info)
    #expect(info.st_mode & 0o077 == 0)
  }

  @Test func aScheduledRunIsPendingThenRunningThenSucceeded() throws {
    let qs = try QSServer(rules: [["path": "/students", "stall": 2.5]])
    let fixture = try SyncFixture()
    try fixture.write(source: SyncFixture.apiSource(qs))
    let environment = ["TEST_QS_KEY": key]
    let added = try fixture.sync("schedule add --at +1s", environment: environment)
    #expect(added.status == 0, "\(added.stderr)")
    let pending = try #require(try fixture.history().first)
    #expect(pending["status"] as? String == "Pending" && pending["trigger"] as? String == "scheduled")
    let scheduleID = try #require(pending["scheduleId"] as? Int)

    usleep(2_100_000)  // +1s is rounded up to a whole second: due within 2 s
    let tick = try fixture.spawn(["tick"], environment: environment)
    let running = try fixture.waitFor("Running")
    #expect(running?["id"] as? Int == pending["id"] as? Int)
    // Once started, it can no longer be changed or removed.
    let edit = try fixture.sync("schedule edit \(scheduleID) --at +1h")
    #expect(edit.status != 0 && edit.stderr.contains("has started"), "\(edit.stderr)")
    let remove = try fixture.sync("schedule remove \(scheduleID)")
    #expect(remove.status != 0 && remove.stderr.contains("has started"), "\(remove.stderr)")
    tick.waitUntilExit()
    #expect(tick.terminationStatus == 0)
    let done = try #require(try fixture.history().first { $0["id"] as? Int == pending["id"] as? Int })
    #expect(done["status"] as? String == "Succeeded", "\(done)")
    #expect(SyncFixture.csvSet(fixture.destination).count == 5)
  }

  @Test func aPendingRunCanBeEditedAndRemoved() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let added = try fixture.sync("schedule add --at 23:59 --repeat daily")
    #expect(added.status == 0, "\(added.stderr)")
    let pending = try #require(try fixture.history().first)
    let scheduleID = try #require(pending["scheduleId"] as? Int)
    let edit = try fixture.sync("schedule edit \(scheduleID) --at 01:15 --repeat weekdays")
    #expect(edit.status == 0, "\(edit.stderr)")
    let list = try fixture.sync("schedule list")
    #expect(list.stdout.contains("weekdays at 01:15"), "\(list.stdout)")
    let edited = try #require(try fixture.history().first { $0["id"] as? Int == pending["id"] as? Int })
    #expect((edited["scheduledAt"] as? String) != (pending["scheduledAt"] as? String))
    #expect(edited["status"] as? String == "Pending")
    let remove = try fixture.sync("schedule remove \(scheduleID)")
    #expect(remove.status == 0, "\(remove.stderr)")
    let removed = try #require(try fixture.history().first { $0["id"] as? Int == pending["id"] as? Int })
    #expect(removed["status"] as? String == "Cancelled")
    #expect(!(try fixture.sync("schedule list")).stdout.contains("01:15"))
  }

  @Test func aRunInABlackoutIsSkipped() throws {
    let fixture = try SyncFixture()
    let formatter = DateFormatter()
    formatter.timeZone = TimeZone(identifier: "America/Chicago")
    formatter.dateFormat = "yyyy-MM-dd"
    let from = formatter.string(from: Date().addingTimeInterval(-86400))
    let to = formatter.string(from: Date().addingTimeInterval(2 * 86400))
    try fixture.write(extra: "[[blackout]]\nname = \"break\"\nfrom = \"\(from)\"\nto = \"\(to)\"")
    #expect(try fixture.sync("schedule add --at +1s").status == 0)
    usleep(2_100_000)  // +1s is rounded up to a whole second: due within 2 s
    let tick = try fixture.sync("tick")
    #expect(tick.status == 0, "\(tick.stderr)")
    let run = try #require(try fixture.history().first)
    #expect(run["status"] as? String == "Skipped", "\(run)")
    #expect((run["reason"] as? String)?.contains("break") == true)
    #expect(SyncFixture.csvSet(fixture.destination).isEmpty)
  }

  @Test func twoTicksAtOnceRunTheDueRunOnce() throws {
    let qs = try QSServer(rules: [["path": "/students", "stall": 1.5]])
    let fixture = try SyncFixture()
    try fixture.write(source: SyncFixture.apiSource(qs))
    let environment = ["TEST_QS_KEY": key]
    #expect(try fixture.sync("schedule add --at +1s", environment: environment).status == 0)
    usleep(2_100_000)  // +1s is rounded up to a whole second: due within 2 s
    let first = try fixture.spawn(["tick"], environment: environment)
    let second = try fixture.spawn(["tick"], environment: environment)
    first.waitUntilExit()
    second.waitUntilExit()
    #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
    let runs = try fixture.history()
    #expect(runs.count == 1, "\(runs)")
    #expect(runs.first?["status"] as? String == "Succeeded")
    #expect(try qs.log().filter { $0.path == "/school" }.count == 1)
  }

  @Test func aKilledRunIsMarkedInterruptedAndTheNextRunIsFine() throws {
    let qs = try QSServer(rules: [["path": "/students", "stall": 6]])
    let fixture = try SyncFixture()
    try fixture.write(source: SyncFixture.apiSource(qs))
    let environment = ["TEST_QS_KEY": key]
    let run = try fixture.spawn(["run"], environment: environment)
    let running = try #require(try fixture.waitFor("Running"))
    kill(run.processIdentifier, SIGKILL)
    run.waitUntilExit()
    try qs.script([])
    let next = try fixture.sync("run", environment: environment)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(next.stderr.contains("marked Interrupted"), "\(next.stderr)")
    let runs = try fixture.history()
    #expect(runs.first?["status"] as? String == "Succeeded")
    let killed = try #require(runs.first { $0["id"] as? Int == running["id"] as? Int })
    #expect(killed["status"] as? String == "Interrupted", "\(killed)")
  }

  @Test func theGuardHoldsARunThatLost30PercentAndApproveUploadsExactlyThatSet() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let first = try fixture.sync("run")
    #expect(first.status == 0, "\(first.stderr)")
    let uploaded = SyncFixture.csvSet(fixture.destination)
    #expect(uploaded.count == 5)

    // The same school with 12 of its 39 students gone.
    let smaller = try fixture.smallerSchool()
    let qs = try QSServer(fixtures: [key: smaller])
    try fixture.write(source: SyncFixture.apiSource(qs))
    let held = try fixture.sync("run", environment: ["TEST_QS_KEY": key])
    #expect(held.status == 1, "\(held.stderr)")
    let heldRun = try #require(try fixture.history().first)
    #expect(heldRun["status"] as? String == "Held")
    #expect((heldRun["reason"] as? String)?.contains("students.csv") == true, "\(heldRun)")
    #expect(SyncFixture.csvSet(fixture.destination) == uploaded, "a held run must not upload")

    let heldID = try #require(heldRun["id"] as? Int)
    let approve = try fixture.sync("approve \(heldID)", environment: ["TEST_QS_KEY": key])
    #expect(approve.status == 0, "\(approve.stderr)")
    let approval = try #require(try fixture.history().first)
    #expect(approval["status"] as? String == "Succeeded" && approval["trigger"] as? String == "approval")
    #expect(approval["approves"] as? Int == heldID)
    #expect(SyncFixture.csvSet(fixture.destination) == SyncFixture.csvSet(fixture.state + "/runs/\(heldID)/csv"))
    #expect(SyncFixture.csvSet(fixture.destination) != uploaded)
  }

  /// A warning (here a section nobody is enrolled in) fails a run only where the
  /// profile asks for `[validate] strict`; errors fail it always (RunSafetyTests).
  @Test func onlyAStrictProfileFailsARunOnAWarning() throws {
    let fixture = try SyncFixture()
    let school = fixture.folder + "/empty-section.ndjson"
    let section = #"{"type": "qs.section", "id": "9999", "schoolId": "300794", "name": "Robotics Club", "code": "ROB-1", "#
      + #""classId": "3101", "semesterId": "4201", "period": "9", "subject": "Homeroom/advisory", "teacherIds": ["5001"]}"#
    try (String(contentsOfFile: QSServer.exampleSchool, encoding: .utf8) + section + "\n")
      .write(toFile: school, atomically: true, encoding: .utf8)
    let qs = try QSServer(fixtures: [key: school])

    try fixture.write(source: SyncFixture.apiSource(qs), extra: "[validate]\nstrict = true")
    let strict = try fixture.sync("run", environment: ["TEST_QS_KEY": key])
    #expect(strict.status == 1, "\(strict.stderr)")
    #expect(strict.stderr.contains("1 warning (--strict counts warnings)"), "\(strict.stderr)")
    #expect(strict.stderr.contains("counts 1 error, warnings included (--strict)"), "\(strict.stderr)")
    #expect(try fixture.history().first?["status"] as? String == "Failed")
    #expect(SyncFixture.csvSet(fixture.destination).isEmpty, "a failed run uploads nothing")

    try fixture.write(source: SyncFixture.apiSource(qs))
    let lenient = try fixture.sync("run", environment: ["TEST_QS_KEY": key])
    #expect(lenient.status == 0, "\(lenient.stderr)")
    #expect(try fixture.history().first?["status"] as? String == "Succeeded")
    #expect(SyncFixture.csvSet(fixture.destination).count == 5)
  }

  @Test func aSchoolIDChangeIsReportedAsAMigration() throws {
    let fixture = try SyncFixture()
    try fixture.write(mapping: "school_id = \"code\"")
    #expect(try fixture.sync("run").status == 0)
    try fixture.write(mapping: "school_id = \"id\"")
    let second = try fixture.sync("run")
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("migration"), "\(second.stderr)")
    #expect(second.stderr.contains("Clever will remove the old school and add the new one"), "\(second.stderr)")
    let show = try fixture.sync("show \(try #require(try fixture.history().first?["id"] as? Int))")
    #expect(show.stdout.contains("migration"), "\(show.stdout)")
  }

  @Test func aFailedUploadIsRecordedWithItsReasonAndNotified() throws {
    let fixture = try SyncFixture()
    let notified = fixture.folder + "/notified.json"
    try fixture.write(
      sftp: """
        destination = "sftp://nobody@127.0.0.1:9/upload"
        password_env = "TEST_SFTP_PASSWORD"
        """,
      extra: "[notify]\ncommand = [\"/bin/sh\", \"-c\", \"cat > \(notified)\"]")
    let result = try fixture.sync("run", environment: ["TEST_SFTP_PASSWORD": "not-used-anyway"])
    // Nothing listens on port 9: sftp-put gives up after its retries (75), and the run
    // ends with that status and reason.
    #expect(result.status == 75, "\(result.stderr)")
    let run = try #require(try fixture.history().first)
    #expect(run["status"] as? String == "Failed")
    #expect((run["reason"] as? String)?.contains("sftp-put exited 75") == true, "\(run)")
    let note = try #require(FileManager.default.contents(atPath: notified))
    let summary = try #require(try JSONSerialization.jsonObject(with: note) as? [String: Any])
    #expect(summary["status"] as? String == "Failed" && summary["run"] as? Int == run["id"] as? Int)
  }

  @Test func theDaemonRunsAScheduledRunWhenItFallsDue() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let daemon = try fixture.spawn(["daemon", "--poll", "1"])
    defer {
      // SIGKILL: a child of the test process may have SIGTERM blocked (see QSServer.stop).
      kill(daemon.processIdentifier, SIGKILL)
      daemon.waitUntilExit()
    }
    #expect(try fixture.sync("schedule add --at +2s --repeat every:5m").status == 0)
    let done = try fixture.waitFor("Pending", seconds: 1)
    #expect(done != nil)
    // The run happens, and the next day's slot is Pending again.
    let deadline = Date().addingTimeInterval(20)
    var statuses: [String] = []
    while Date() < deadline {
      statuses = try fixture.history().compactMap { $0["status"] as? String }
      if statuses.contains("Succeeded") { break }
      usleep(100_000)
    }
    #expect(statuses.sorted() == ["Pending", "Succeeded"], "\(statuses)")
    #expect(SyncFixture.csvSet(fixture.destination).count == 5)
  }

  @Test func showPrintsCountsDiagnosticsAndTheUpload() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    #expect(try fixture.sync("run").status == 0)
    let id = try #require(try fixture.history().first?["id"] as? Int)
    let show = try fixture.sync("show \(id)")
    #expect(show.status == 0, "\(show.stderr)")
    for text in ["Succeeded", "students.csv", "clever-map", "[W_NAME_SPLIT]", "upload: uploaded 5 files", "First upload"] {
      #expect(show.stdout.contains(text), "show lacks \(text): \(show.stdout)")
    }
  }

  @Test func testConnectionChecksEachStep() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let good = try fixture.sync("test-connection")
    #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
    #expect(good.stdout.components(separatedBy: "=> ok").count == 3, "\(good.stdout)")
    try fixture.write(sftp: "destination = \"file://\(fixture.folder)/missing\"")
    let bad = try fixture.sync("test-connection")
    #expect(bad.status == 73, "\(bad.stdout)")
    #expect(bad.stdout.contains("missing or not writable"))
  }

  @Test func aDryRunBuildsAndChecksButUploadsNothing() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let result = try fixture.sync("run --dry-run")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try fixture.history().first?["status"] as? String == "Succeeded")
    #expect(SyncFixture.csvSet(fixture.destination).isEmpty)
  }

  @Test func configCheckNamesTheLineOfAMistake() throws {
    let fixture = try SyncFixture()
    try fixture.write(sftp: "destination = \"file:///tmp/x\"\npassword = \"hunter2\"")
    let result = try fixture.sync("config check")
    #expect(result.status == 78)
    let line = try String(contentsOfFile: fixture.profilePath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0.hasPrefix("password") }.map { $0 + 1 }
    #expect(result.stderr.contains("test.toml:\(line ?? 0):"), "\(result.stderr)")
    #expect(!result.stderr.contains("hunter2"))
  }
}
