import Foundation
import Testing
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// What the fault suite checks after every case, each invariant of issue 10 on its own;
/// nil where it does not apply (a stage alone has no history or lock).
struct FaultFindings {
  var destination: Bool?  // exactly the previous complete set, or exactly the new one
  var output: Bool?  // the output directory: a complete set, or none
  var history: Bool?  // one row per run, each with a final status that says what happened
  var processes: Bool?  // no stage (or anything a tool started) left running
  var lock: Bool?  // the profile's lock is free
  var exit: Bool?  // the documented exit status
  var detail: [String] = []

  static let columns = ["destination", "output", "history", "processes", "lock", "exit"]
  var cells: [Bool?] { [destination, output, history, processes, lock, exit] }

  /// Expects every invariant that applies, and prints the case's row of the matrix.
  func check(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for (column, cell) in zip(Self.columns, cells) where cell == false {
      Issue.record("\(name): \(column) broken; \(detail.joined(separator: "; "))", sourceLocation: sourceLocation)
    }
    let marks = cells.map { $0 == nil ? "n/a" : $0! ? "ok" : "BROKEN" }
    print("fault-matrix | \(name) | " + marks.joined(separator: " | "))
  }
}

enum Fault {
  static let setNames: Set<String> = ["schools.csv", "students.csv", "teachers.csv", "sections.csv", "enrollments.csv"]

  static func csvSet(_ folder: String) -> [String: Data] { SyncFixture.csvSet(folder) }

  /// A complete set: the five files, each ending with a whole line.
  static func isComplete(_ set: [String: Data]) -> Bool {
    Set(set.keys) == setNames && set.values.allSatisfy { $0.count > 2 && $0.suffix(2) == Data("\r\n".utf8) }
  }

  /// The output directory holds a complete set or none.
  static func outputIsWholeOrAbsent(_ folder: String) -> Bool {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else { return true }
    let set = csvSet(folder)
    return isFolder.boolValue && (set.isEmpty || isComplete(set))
  }

  /// Processes whose command line names `folder`, but the test's own servers.
  static func processes(naming folder: String) -> [String] {
    let result = try? Shell.run("pgrep -af -- '\(folder)' || true")
    return (result?.stdout ?? "").split(separator: "\n").map(String.init).filter {
      !$0.contains("pgrep") && !$0.contains("qs-server.py") && !$0.contains("sshd") && !$0.contains("bash -c")
    }
  }

  /// Waits up to `seconds` for no such process to remain.
  static func noProcessesLeft(naming folder: String, within seconds: Double = 3) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !processes(naming: folder).isEmpty, Date() < deadline { usleep(20_000) }
    return processes(naming: folder).isEmpty
  }

  static func lockIsFree(_ state: String) -> Bool {
    let fd = open(state + "/lock", O_RDWR)
    guard fd >= 0 else { return true }
    defer { close(fd) }
    return flock(fd, LOCK_EX | LOCK_NB) == 0
  }

  /// Waits until `condition` holds, up to `seconds`.
  @discardableResult
  static func wait(_ seconds: Double = 20, until condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      usleep(20_000)
    }
    return condition()
  }

  /// Mounts a tmpfs of `kilobytes` at `path` (CI runs as root); nil where that is not allowed.
  static func mountTmpfs(_ path: String, kilobytes: Int, readOnly: Bool = false) -> Bool {
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let options = "size=\(kilobytes)k,mode=0700" + (readOnly ? ",ro" : "")
    return (try? Shell.run("mount -t tmpfs -o \(options) tmpfs '\(path)'"))?.status == 0
  }

  static func remount(_ path: String, readOnly: Bool) -> Bool {
    (try? Shell.run("mount -o remount,\(readOnly ? "ro" : "rw") '\(path)'"))?.status == 0
  }

  static func unmount(_ path: String) { _ = try? Shell.run("umount -l '\(path)'") }

  /// Fills a file system but `leave` kilobytes.
  static func fill(_ path: String, leaving leave: Int) -> Bool {
    (try? Shell.run("""
      avail=$(df -k --output=avail '\(path)' | tail -1); \
      dd if=/dev/zero of='\(path)/.filler' bs=1k count=$((avail - \(leave))) 2>/dev/null; true
      """))?.status == 0
  }

  /// A process's exit status as a shell gives it: 128 + the signal that killed it.
  static func exitStatus(_ process: Process) -> Int32 {
    process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
  }

  static var canMount: Bool {
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mount-probe-\(getpid())").path
    defer {
      unmount(probe)
      try? FileManager.default.removeItem(atPath: probe)
    }
    return mountTmpfs(probe, kilobytes: 64)
  }
}

/// A profile whose last run uploaded the example school, and a QuickSchools server that
/// now serves the school with a change (so the previous and the new sets differ).
final class FaultSite {
  let fixture: SyncFixture
  let qs: QSServer
  var sshd: TestSSHServer?
  var destination: String
  private(set) var previous: [String: Data] = [:]
  let key = QSServer.exampleKey
  var environment: [String: String] { ["TEST_QS_KEY": key, "TEST_SFTP_PASSWORD": sshd?.password ?? ""] }

  enum Kind { case local, sftp }

  init(
    _ kind: Kind, school: String = "changed", destination: String? = nil, prepare: (SyncFixture) -> Void = { _ in }
  ) throws {
    fixture = try SyncFixture()
    prepare(fixture)
    var served = fixture.folder + "/changed.ndjson"
    if school == "changed" {
      let program = #"if .type == "qs.student" and .id == "7001" then .lastName = "Changed" else . end"#
      let made = try Shell.run("jq -c '\(program)' '\(QSServer.exampleSchool)' > '\(served)'")
      try #require(made.status == 0, "\(made.stderr)")
    } else {
      served = try fixture.smallerSchool()  // 12 students gone: held by the guard
    }
    qs = try QSServer(fixtures: [QSServer.exampleKey: served])
    self.destination = destination ?? fixture.destination
    if kind == .sftp {
      let server = try TestSSHServer(.init(user: "cleversync"))
      sshd = server
      self.destination = try server.makeUserDirectory("clever-\(UUID().uuidString.prefix(8))")
    }
    // The first run: the example school, uploaded whole.
    try write(source: "from_dump = \"\(SyncFixture.exampleDump)\"")
    let first = try fixture.sync("run", environment: environment)
    try #require(first.status == 0, "\(first.stderr)")
    previous = Fault.csvSet(self.destination)
    try #require(Fault.isComplete(previous))
    try write(source: SyncFixture.apiSource(qs))
  }

  deinit { sshd?.cleanup() }

  func write(source: String) throws {
    if let sshd {
      try fixture.write(source: source, sftp: SyncFixture.sftpLines(sshd, destination))
    } else {
      try fixture.write(source: source, sftp: "destination = \"file://\(destination)\"")
    }
  }

  func runFolder(_ id: Int) -> String { fixture.state + "/runs/\(id)" }

  /// The history after a fault, as `history` shows it (which marks a dead process's
  /// Running row Interrupted).
  func history() throws -> [[String: Any]] { try fixture.history(environment) }

  func spawn(_ arguments: [String]) throws -> Process { try fixture.spawn(arguments, environment: environment) }

  /// The invariants after a clever-sync case: `run` is the fault run's ID, `rows` the
  /// number of history rows there must be, `statuses` the final statuses allowed for it.
  func findings(
    run id: Int, rows: Int, statuses: Set<String>, reason: String, exit: Int32, allowed exits: Set<Int32>
  ) throws -> FaultFindings {
    var findings = FaultFindings()
    let now = Fault.csvSet(destination)
    let built = Fault.csvSet(runFolder(id) + "/csv")
    findings.destination = now == previous || (Fault.isComplete(built) && now == built)
    findings.output = Fault.outputIsWholeOrAbsent(runFolder(id) + "/csv")
    findings.processes = Fault.noProcessesLeft(naming: fixture.folder)
    findings.lock = Fault.lockIsFree(fixture.state)
    let history = try self.history()
    let row = history.first { $0["id"] as? Int == id }
    let status = row?["status"] as? String ?? "none"
    let said = row?["reason"] as? String ?? ""
    findings.history = history.count == rows && statuses.contains(status) && said.contains(reason)
    findings.exit = exits.contains(exit)
    findings.detail = [
      "exit \(exit)", "run \(id) \(status): \(said)", "\(history.count) rows",
      now == previous ? "destination: previous set" : now == built ? "destination: new set" : "destination: \(now.keys.sorted())",
      "left: \(Fault.processes(naming: fixture.folder))",
    ]
    return findings
  }
}
