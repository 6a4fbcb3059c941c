import Foundation
import Testing
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// The fault suite of issue 10: every tool killed (SIGKILL) and stopped (SIGTERM) at
/// several points, full and read-only disks, a QuickSchools server that stalls or cuts
/// its answer short, an SFTP server killed or stalled mid-upload. After each case every
/// invariant is checked (FaultFindings) and the case prints its row of the matrix
/// (`fault-matrix | case | destination | output | history | processes | lock | exit`).
@Suite(.serialized, .enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
struct FaultMatrixTests {
  // MARK: clever-sync run, tick and approve

  enum Moment: String, CaseIterable {
    case beforeTheFirstRecord = "before the first record"
    case midStream = "mid-stream, clever-csv writing its staging files"
  }

  /// `command` (run or tick) killed with `signal` at `moment`: nothing reaches the
  /// destination, the run is Interrupted (SIGKILL) or Cancelled (TERM).
  func stopped(_ command: String, _ signal: Int32, at moment: Moment) throws {
    let site = try FaultSite(.local)
    let path = moment == .beforeTheFirstRecord ? "/school" : "/sectionenrollments/*"
    try site.qs.script([["path": path, "stall": 30]])
    var rows = 2
    if command == "tick" {
      #expect(try site.fixture.sync("schedule add --at +1s --repeat every:5m").status == 0)
      usleep(2_100_000)
      rows = 3  // the next slot is Pending
    }
    let process = try site.spawn([command])
    let running = try #require(try site.fixture.waitFor("Running"))
    Fault.wait(10) { (try? site.qs.log().contains { $0.path.hasPrefix(path.replacingOccurrences(of: "*", with: "")) }) == true }
    usleep(300_000)
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    let killed = signal == SIGKILL
    let findings = try site.findings(
      run: running["id"] as? Int ?? 0, rows: rows, statuses: [killed ? "Interrupted" : "Cancelled"],
      reason: killed ? "ended without finishing the run" : "stopped by SIGTERM during qs-extract; nothing was uploaded",
      exit: Fault.exitStatus(process), allowed: [killed ? 128 + SIGKILL : 143])
    findings.check("\(command): \(killed ? "kill -9" : "TERM") \(moment.rawValue)")
  }

  @Test(arguments: Moment.allCases) func runKilled(at moment: Moment) throws { try stopped("run", SIGKILL, at: moment) }
  @Test(arguments: Moment.allCases) func runTerminated(at moment: Moment) throws { try stopped("run", SIGTERM, at: moment) }
  @Test func tickKilledMidStream() throws { try stopped("tick", SIGKILL, at: .midStream) }
  @Test func tickTerminatedMidStream() throws { try stopped("tick", SIGTERM, at: .midStream) }

  /// `arguments` (run, or approve of a held run) stopped while sftp-put waits on a
  /// frozen server: the destination keeps the previous set.
  func stoppedDuringUpload(approve: Bool, _ signal: Int32) throws {
    let site = try FaultSite(.sftp, school: approve ? "smaller" : "changed")
    let sshd = try #require(site.sshd)
    var arguments = ["run"]
    var rows = 2
    if approve {
      #expect(try site.fixture.sync("run", environment: site.environment).status == 1)  // Held
      let held = try #require(try site.history().first?["id"] as? Int)
      arguments = ["approve", String(held)]
      rows = 3
    }
    sshd.pause()
    let process = try site.spawn(arguments)
    #expect(Fault.wait { Fault.processes(naming: site.fixture.folder).contains { $0.contains("sftp-put") } })
    usleep(500_000)
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    let processesGone = Fault.noProcessesLeft(naming: site.fixture.folder)
    sshd.resume()
    let id = try #require(try site.history().first?["id"] as? Int)
    let killed = signal == SIGKILL
    var findings = try site.findings(
      run: id, rows: rows, statuses: [killed ? "Interrupted" : "Cancelled"],
      reason: killed ? "ended without finishing the run" : "stopped by SIGTERM during the upload: sftp-put: stopped before any file was renamed",
      exit: Fault.exitStatus(process), allowed: [killed ? 128 + SIGKILL : 143])
    findings.processes = processesGone  // checked while the server was still frozen
    if approve {
      // The held run can still be approved: nothing of it was spent.
      let held = try site.history().first { $0["id"] as? Int == Int(arguments[1]) }
      findings.history = findings.history == true && held?["status"] as? String == "Held"
    }
    findings.check("\(approve ? "approve" : "run"): \(killed ? "kill -9" : "TERM") during the upload (server frozen)")
  }

  @Test func runKilledDuringTheUpload() throws { try stoppedDuringUpload(approve: false, SIGKILL) }
  @Test func runTerminatedDuringTheUpload() throws { try stoppedDuringUpload(approve: false, SIGTERM) }
  @Test func approveKilledDuringTheUpload() throws { try stoppedDuringUpload(approve: true, SIGKILL) }
  @Test func approveTerminatedDuringTheUpload() throws { try stoppedDuringUpload(approve: true, SIGTERM) }

  /// Killed while it waits to record the end of a run whose upload completed (another
  /// process holds the database): the destination has the new set, and the history
  /// says so once the row is marked Interrupted (it counts as the last upload).
  @Test func runKilledDuringTheHistoryUpdate() throws {
    let site = try FaultSite(.sftp)
    let sshd = try #require(site.sshd)
    sshd.pause()
    let process = try site.spawn(["run"])
    let running = try #require(try site.fixture.waitFor("Running"))
    let id = try #require(running["id"] as? Int)
    #expect(Fault.wait { Fault.processes(naming: site.fixture.folder).contains { $0.contains("sftp-put") } })
    // Hold the database (an exclusive transaction, as another tool could), then let the upload finish.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    holder.arguments = ["-c", """
      import sqlite3, sys, time
      c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE')
      open(sys.argv[2], 'w').close(); time.sleep(30)
      """, site.fixture.state + "/history.sqlite", site.fixture.folder + "/db-held"]
    try holder.run()
    defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
    #expect(Fault.wait { FileManager.default.fileExists(atPath: site.fixture.folder + "/db-held") })
    sshd.resume()
    let uploads = site.runFolder(id) + "/uploads.ndjson"
    #expect(Fault.wait {
      !Fault.processes(naming: site.fixture.folder).contains { $0.contains("sftp-put") }
        && ((try? String(contentsOfFile: uploads, encoding: .utf8))?.components(separatedBy: "\"uploaded\"").count ?? 0) == 6
    })
    usleep(300_000)  // clever-sync is now waiting for the database
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    kill(holder.processIdentifier, SIGKILL)
    holder.waitUntilExit()
    var findings = try site.findings(
      run: id, rows: 2, statuses: ["Interrupted"], reason: "the server has this run's set",
      exit: Fault.exitStatus(process), allowed: [128 + SIGKILL])
    // The new set is there, and the next run compares with it.
    findings.destination = findings.destination == true && Fault.csvSet(site.destination) == Fault.csvSet(site.runFolder(id) + "/csv")
    findings.check("run: kill -9 during the history update (upload done)")
  }

  @Test(.enabled(if: Fault.canMount, "needs root to mount a tmpfs"))
  func runWithAFullStateDisk() throws {
    var state = ""
    let site = try FaultSite(.local) { fixture in
      state = fixture.state
      #expect(Fault.mountTmpfs(fixture.state, kilobytes: 1024))
    }
    defer { Fault.unmount(state) }
    #expect(Fault.fill(state, leaving: 64))
    let result = try site.fixture.sync("run", environment: site.environment)
    try? FileManager.default.removeItem(atPath: state + "/.filler")
    var findings = try site.findings(
      run: 2, rows: 2, statuses: ["Failed"], reason: "clever-csv exited 74", exit: result.status, allowed: [74])
    findings.detail.append(result.stderr)
    let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: site.runFolder(2))) ?? []
    findings.output = findings.output == true && !leftovers.contains { $0.contains("staging") }
    findings.check("run: full state disk (tmpfs)")
  }

  /// A destination folder that is read-only, or full: sftp-put fails before any rename.
  @Test(.enabled(if: Fault.canMount, "needs root to mount a tmpfs"), arguments: ["read-only", "full"])
  func runWithABadDestination(_ kind: String) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fault-dest-\(UUID().uuidString)").path
    #expect(Fault.mountTmpfs(folder, kilobytes: 256))
    defer {
      Fault.unmount(folder)
      try? FileManager.default.removeItem(atPath: folder)
    }
    let site = try FaultSite(.local, destination: folder)
    #expect(kind == "full" ? Fault.fill(folder, leaving: 8) : Fault.remount(folder, readOnly: true))
    let result = try site.fixture.sync("run", environment: site.environment)
    if kind == "full" { try? FileManager.default.removeItem(atPath: folder + "/.filler") }
    let findings = try site.findings(
      run: 2, rows: 2, statuses: ["Failed"], reason: "sftp-put exited", exit: result.status,
      allowed: kind == "full" ? [73, 74] : [73, 77])
    findings.check("run: \(kind) destination")
  }

  @Test func runWhenQuickSchoolsCutsAnAnswerShort() throws {
    let site = try FaultSite(.local)
    try site.qs.script([["path": "/sectionenrollments/*", "malformed": true]])
    let result = try site.fixture.sync("run", environment: site.environment)
    let findings = try site.findings(
      run: 2, rows: 2, statuses: ["Failed"], reason: "qs-extract exited 76", exit: result.status, allowed: [76])
    findings.check("run: QuickSchools answer cut short")
  }

  @Test func runWhenTheSFTPServerIsKilledMidUpload() throws {
    let site = try FaultSite(.sftp)
    let sshd = try #require(site.sshd)
    sshd.pause()
    let process = try site.spawn(["run"])
    #expect(Fault.wait { Fault.processes(naming: site.fixture.folder).contains { $0.contains("sftp-put") } })
    usleep(300_000)
    sshd.stop()
    process.waitUntilExit()
    let findings = try site.findings(
      run: 2, rows: 2, statuses: ["Failed"], reason: "sftp-put exited", exit: Fault.exitStatus(process),
      allowed: [69, 75, 76])
    findings.check("run: SFTP server killed mid-upload")
  }

  // MARK: The stages alone, in a shell pipeline

  /// A stage alone, its output directory `out` holding an older complete set.
  final class StageSite {
    let folder: String
    var out: String { folder + "/out" }
    let previous: [String: Data]

    init() throws {
      folder = FileManager.default.temporaryDirectory.appendingPathComponent("fault-stage-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let made = try Shell.run(
        "qs-extract --from '\(SyncFixture.exampleDump)' 2>/dev/null | tee '\(folder)/qs.ndjson' | clever-map 2>/dev/null "
          + "| tee '\(folder)/clever.ndjson' | clever-csv write -o '\(folder)/out' >/dev/null 2>&1")
      try #require(made.status == 0, "\(made.stderr)")
      previous = Fault.csvSet(folder + "/out")
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Runs `script` in the background; its `$!` (the stage to stop) is written to `pid`.
    func start(_ script: String) throws -> (shell: Process, stage: pid_t) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = ["-c", "export PATH='\(Shell.binaries.path)':$PATH; cd '\(folder)'; " + script]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle(forWritingAtPath: "/dev/null")
      try process.run()
      var pid: pid_t = 0
      Fault.wait(10) {
        pid = pid_t((try? String(contentsOfFile: folder + "/pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        return pid > 0
      }
      return (process, pid)
    }

    func status(_ file: String) -> Int32? {
      Int32((try? String(contentsOfFile: folder + "/" + file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    }

    func findings(exit: Int32?, allowed: Set<Int32>, outputMayChange: Bool = false) -> FaultFindings {
      var findings = FaultFindings()
      let now = Fault.csvSet(out)
      findings.output = now == previous || (outputMayChange && Fault.isComplete(now))
      findings.processes = Fault.noProcessesLeft(naming: folder)
      findings.exit = exit.map { allowed.contains($0) } ?? false
      let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      findings.output = findings.output == true && !leftovers.contains { $0.contains("staging") }
      findings.detail = ["exit \(exit.map(String.init) ?? "none")", "left: \(Fault.processes(naming: folder))", "\(leftovers)"]
      return findings
    }
  }

  /// clever-map or clever-validate stopped mid-stream: what it wrote never becomes files.
  @Test(arguments: [("clever-map", "qs.ndjson"), ("clever-validate", "clever.ndjson")], [SIGKILL, SIGTERM])
  func aStageStoppedMidStream(_ stage: (name: String, input: String), signal: Int32) throws {
    let site = try StageSite()
    let (shell, pid) = try site.start(
      "{ head -n 120 \(stage.input); sleep 30; } | \(stage.name) > mid.ndjson 2>/dev/null & echo $! > pid; wait $!; "
        + "echo $? > stage-status; pkill -f 'sleep 30' ; clever-csv write -o out < mid.ndjson >/dev/null 2>&1; echo $? > csv-status")
    usleep(500_000)
    kill(pid, signal)
    shell.waitUntilExit()
    var findings = site.findings(exit: site.status("stage-status"), allowed: [128 + signal])
    findings.exit = findings.exit == true && site.status("csv-status") == 65  // the cut stream is refused
    findings.check("\(stage.name): \(signal == SIGKILL ? "kill -9" : "TERM") mid-stream, then clever-csv")
  }

  @Test(arguments: [SIGKILL, SIGTERM])
  func qsExtractStoppedMidStream(signal: Int32) throws {
    let qs = try QSServer(rules: [["path": "/sectionenrollments/*", "stall": 30]])
    let site = try StageSite()
    let (shell, pid) = try site.start(
      "QS_API_KEY='\(QSServer.exampleKey)' qs-extract --base-url '\(qs.baseURL)' --rate 0 2>/dev/null > extract.ndjson & "
        + "echo $! > pid; wait $!; echo $? > stage-status; "
        + "clever-map extract.ndjson 2>/dev/null | clever-csv write -o out >/dev/null 2>&1; echo $? > csv-status")
    Fault.wait(10) { (try? qs.log().contains { $0.path.hasPrefix("/sectionenrollments/") }) == true }
    kill(pid, signal)
    shell.waitUntilExit()
    var findings = site.findings(exit: site.status("stage-status"), allowed: [128 + signal])
    findings.exit = findings.exit == true && site.status("csv-status") == 65
    findings.check("qs-extract: \(signal == SIGKILL ? "kill -9" : "TERM") mid-stream, then clever-map | clever-csv")
  }

  @Test func qsExtractWhenTheServerStalls() throws {
    let qs = try QSServer(rules: [["path": "/sectionenrollments/*", "stall": 30]])
    let site = try StageSite()
    let (shell, _) = try site.start(
      "echo 1 > pid; QS_API_KEY='\(QSServer.exampleKey)' qs-extract --base-url '\(qs.baseURL)' --rate 0 --timeout 1 "
        + "--retries 0 2>/dev/null | clever-map 2>/dev/null | clever-csv write -o out >/dev/null 2>&1; "
        + "echo \"${PIPESTATUS[0]} ${PIPESTATUS[2]}\" > status")
    shell.waitUntilExit()
    let statuses = (try? String(contentsOfFile: site.folder + "/status", encoding: .utf8))?.split(separator: " ")
      .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? []
    var findings = site.findings(exit: statuses.first, allowed: [75])
    findings.exit = findings.exit == true && statuses.last == 65
    findings.check("qs-extract: QuickSchools server stalls past --timeout")
  }

  @Test func clever_csvKilledDuringItsWrite() throws {
    let site = try StageSite()
    let generator = QSServer.repository.appendingPathComponent("Tests/Benchmarks/generate-district.py").path
    #expect(try Shell.run("python3 '\(generator)' --students 20000 --seed 7 | clever-map 2>/dev/null > '\(site.folder)/big.ndjson'").status == 0)
    for delay: UInt32 in [50_000, 200_000, 400_000] {
      let (shell, pid) = try site.start("clever-csv write -o out big.ndjson >/dev/null 2>&1 & echo $! > pid; wait")
      usleep(delay)
      kill(pid, SIGKILL)
      shell.waitUntilExit()
      // The killed run's staging directory may stay beside the output; the next write
      // removes it.
      var findings = site.findings(exit: 137, allowed: [137], outputMayChange: true)
      let now = Fault.csvSet(site.out)
      findings.output = now == site.previous || Fault.isComplete(now)
      let again = try Shell.run("clever-csv write -o '\(site.out)' '\(site.folder)/clever.ndjson' >/dev/null 2>&1")
      let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: site.folder)) ?? []).filter { $0.contains("staging") }
      findings.output = findings.output == true && again.status == 0 && leftovers.isEmpty
      findings.detail.append("after the next write: \(leftovers)")
      findings.check("clever-csv: kill -9 during its write (after \(delay / 1000) ms), then a write")
      try? FileManager.default.removeItem(atPath: site.folder + "/pid")
    }
  }

  @Test(.enabled(if: Fault.canMount, "needs root to mount a tmpfs"), arguments: ["full", "read-only"])
  func clever_csvOnABadDisk(_ kind: String) throws {
    let site = try StageSite()
    let disk = site.folder + "/disk"
    #expect(Fault.mountTmpfs(disk, kilobytes: 256))
    defer { Fault.unmount(disk) }
    // The previous set first, then the disk made full or read-only under it.
    #expect(try Shell.run("clever-csv write -o '\(disk)/out' '\(site.folder)/clever.ndjson' >/dev/null 2>&1").status == 0)
    let before = Fault.csvSet(disk + "/out")
    #expect(kind == "full" ? Fault.fill(disk, leaving: 8) : Fault.remount(disk, readOnly: true))
    let bigger = try Shell.run(
      "jq -c 'if .type == \"clever.student\" then .Last_name = (.Last_name * 40) else . end' '\(site.folder)/clever.ndjson' "
        + "| clever-csv write -o '\(disk)/out'")
    var findings = FaultFindings()
    findings.output = Fault.csvSet(disk + "/out") == before
      && !((try? FileManager.default.contentsOfDirectory(atPath: disk)) ?? []).contains { $0.contains("staging") }
    findings.processes = Fault.noProcessesLeft(naming: site.folder)
    findings.exit = (kind == "full" ? [73, 74] : [73]).contains(bigger.status)
    findings.detail = ["exit \(bigger.status)", bigger.stderr]
    findings.check("clever-csv: \(kind) output disk")
  }

  /// sftp-put alone against a frozen server: killed, stopped, or given up by its timeout.
  @Test(arguments: ["kill -9", "TERM", "--timeout"])
  func sftpPutAgainstAFrozenServer(_ how: String) throws {
    let sshd = try TestSSHServer(.init(user: "cleversync"))
    defer { sshd.cleanup() }
    let remote = try sshd.makeUserDirectory("clever-\(UUID().uuidString.prefix(8))")
    let site = try StageSite()
    let put = "SFTP_PASSWORD='\(sshd.password)' sftp-put --known-hosts '\(sshd.knownHostsPath)' "
      + "sftp://\(sshd.user)@127.0.0.1:\(sshd.port)\(remote)"
    #expect(try Shell.run("\(put) '\(site.out)'/*.csv >/dev/null 2>&1").status == 0)
    let before = Fault.csvSet(remote)
    try? FileManager.default.removeItem(atPath: site.out)
    #expect(try Shell.run(
      "jq -c 'if .type == \"clever.student\" then .Last_name = \"New\" else . end' '\(site.folder)/clever.ndjson' "
        + "| clever-csv write -o '\(site.out)' >/dev/null 2>&1").status == 0)
    sshd.pause()
    let timeout = how == "--timeout" ? "--timeout 2 --attempts 1 " : ""
    let (shell, pid) = try site.start(
      "\(put.replacingOccurrences(of: "sftp-put ", with: "sftp-put \(timeout)")) out/*.csv >/dev/null 2>err & "
        + "echo $! > pid; wait $!; echo $? > stage-status")
    if how != "--timeout" {
      usleep(700_000)
      kill(pid, how == "TERM" ? SIGTERM : SIGKILL)
    }
    shell.waitUntilExit()
    let gone = Fault.noProcessesLeft(naming: site.folder)
    sshd.resume()
    var findings = FaultFindings()
    findings.destination = Fault.csvSet(remote) == before
    findings.processes = gone
    let expected: Int32 = how == "--timeout" ? 75 : how == "TERM" ? 143 : 137
    findings.exit = site.status("stage-status") == expected
    let said = (try? String(contentsOfFile: site.folder + "/err", encoding: .utf8)) ?? ""
    if how == "TERM" { findings.exit = findings.exit == true && said.contains("the server keeps its previous files") }
    findings.detail = ["exit \(site.status("stage-status").map(String.init) ?? "none")", said]
    findings.check("sftp-put: \(how == "--timeout" ? "server stalls past --timeout" : how + " while the server is frozen")")
  }
}
