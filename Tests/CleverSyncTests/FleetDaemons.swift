import Foundation
@testable import TestHarness

/// Several daemons over one fleet, as several machines would run them: each with its own
/// CLEVER_SYNC_NODE, all on the same profiles and store.
extension FleetFixture {
  /// Profiles written from now on keep their history in the PostgreSQL database `url`.
  func usePostgres(_ url: String) {
    profileTail = "[history]\nstore = \"postgresql\""
    environment["CLEVER_SYNC_DATABASE_URL"] = url
  }

  /// `clever-sync daemon --profiles` as machine `node`, saying what it does in `daemon-NODE.log`.
  func spawnDaemon(node: String, _ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = Shell.binaries.appendingPathComponent("clever-sync")
    process.arguments = ["daemon", "--profiles", profiles] + arguments
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in self.environment { environment[key] = value }
    environment["CLEVER_SYNC_NODE"] = node
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    let log = folder + "/daemon-\(node).log"
    FileManager.default.createFile(atPath: log, contents: nil)
    process.standardError = FileHandle(forWritingAtPath: log)
    try process.run()
    return process
  }

  func daemonLog(_ node: String) -> String {
    (try? String(contentsOfFile: folder + "/daemon-\(node).log", encoding: .utf8)) ?? ""
  }

  /// Schedules one run of each profile, all due at the same second, a little after the
  /// last is added (two at a time: each is a process); on a busy machine, the last few
  /// may fall due a second or two later.
  func scheduleAll(_ names: [String]) throws -> Date {
    let due = Date().addingTimeInterval(4 + Double(names.count) * 0.15).rounded()
    let failures = Locked<[String]>([])
    let (paths, environment) = (names.map(path), self.environment)
    DispatchQueue.concurrentPerform(iterations: names.count) { index in
      let seconds = max(1, Int(due.timeIntervalSinceNow.rounded()))
      let added = try? Shell.run("clever-sync schedule add --at +\(seconds)s --profile '\(paths[index])'", environment: environment)
      if added?.status != 0 { failures.mutate { $0.append(paths[index] + ": " + (added?.stderr ?? "")) } }
    }
    guard failures.value.isEmpty else { throw FleetSetupFailed(what: "schedule add: \(failures.value)") }
    return due
  }

  /// Waits up to `seconds` for `condition`, checking `every` so many seconds.
  func wait(seconds: Double, every interval: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try condition() { return true }
      Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
  }

  /// The statuses of every run, by profile.
  func statuses() throws -> [String: [String]] {
    var byProfile: [String: [String]] = [:]
    for run in try history() {
      guard let profile = run["profile"] as? String, let status = run["status"] as? String else { continue }
      byProfile[profile, default: []].append(status)
    }
    return byProfile
  }

  /// Kills `pid` and every process below it at once, as a machine that loses power: each
  /// is stopped first, so none sees another die and reacts.
  static func killTree(_ pid: Int32) {
    var doomed: [Int32] = [pid]
    kill(pid, SIGSTOP)
    var index = 0
    while index < doomed.count {
      for child in children(of: doomed[index]) where !doomed.contains(child) {
        kill(child, SIGSTOP)
        doomed.append(child)
      }
      index += 1
    }
    for process in doomed { kill(process, SIGKILL) }
  }

  static func children(of parent: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return false }
      // "pid (name) state ppid ...": the name may hold spaces, never after its last ")".
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      return fields.count > 1 && Int32(fields[1]) == parent
    }
  }
}

/// A value several threads change.
final class Locked<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: T
  init(_ value: T) { stored = value }
  var value: T { lock.withLock { stored } }
  func mutate(_ change: (inout T) -> Void) { lock.withLock { change(&stored) } }
}

extension Date {
  /// To the whole second.
  func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded()) }
}

/// Counts, ten times a second, the processes each daemon has started (its runs): the
/// most at once of each, and of all together.
final class RunCounter: @unchecked Sendable {
  private let state = Locked<(most: [Int32: Int], total: Int, stopped: Bool)>(([:], 0, false))
  private let done = DispatchSemaphore(value: 0)

  init(daemons: [Int32]) {
    Thread.detachNewThread { [self] in
      while !state.value.stopped {
        let counts = daemons.map { ($0, FleetFixture.children(of: $0).count) }
        state.mutate { state in
          for (pid, count) in counts { state.most[pid] = max(state.most[pid] ?? 0, count) }
          state.total = max(state.total, counts.reduce(0) { $0 + $1.1 })
        }
        usleep(100_000)
      }
      done.signal()
    }
  }

  /// Stops counting; the most runs at once of each daemon, and of all.
  func stop() -> (each: [Int32: Int], total: Int) {
    state.mutate { $0.stopped = true }
    done.wait()
    return (state.value.most, state.value.total)
  }
}

/// Counts the sets that arrive in each destination folder under `root`, with inotify
/// (Tests/Benchmarks/upload-watch.py): what the destinations received, not what the
/// history says.
final class UploadWatch {
  private let process = Process()
  private let output: String

  init(root: String) throws {
    output = root + ".arrivals"
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", QSServer.repository.appendingPathComponent("Tests/Benchmarks/upload-watch.py").path, root, output,
    ]
    let ready = Pipe()
    process.standardOutput = ready
    try process.run()
    // It says `ready` once every folder is watched.
    let line = String(decoding: ready.fileHandleForReading.availableData, as: UTF8.self)
    guard line.hasPrefix("ready") else { throw FleetSetupFailed(what: "upload-watch.py: \(line)") }
  }

  /// Stops watching; the sets each folder received.
  func stop() throws -> [String: Int] {
    process.terminate()
    process.waitUntilExit()
    var sets: [String: Int] = [:]
    for line in try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n") {
      let fields = line.split(separator: " ")
      if fields.count == 2, fields[0] != "overflow", let count = Int(fields[1]) { sets[String(fields[0])] = count }
      if fields.first == "overflow" { throw FleetSetupFailed(what: "upload-watch.py missed events: \(line)") }
    }
    return sets
  }
}
