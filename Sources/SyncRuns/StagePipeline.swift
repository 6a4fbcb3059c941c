#if canImport(Glibc)
  import Glibc
#endif
import CChildProcess
import Foundation

/// One stage of a run: which executable, with what, and the secrets it alone gets
/// (through its environment, never its arguments, so `ps` and logs never show them).
public struct StageInvocation: Sendable {
  public let name: String
  public var arguments: [String]
  public var environment: [String: String] = [:]

  public init(_ name: String, _ arguments: [String], environment: [String: String] = [:]) {
    self.name = name
    self.arguments = arguments
    self.environment = environment
  }
}

/// How one stage ended.
public struct StageOutcome: Sendable {
  public let name: String
  /// Its exit status, or 128 + the signal that ended it (as a shell says).
  public let status: Int32
  public let seconds: Double
  /// Its last error line, for the run's reason.
  public let lastError: String?
  /// The signal that ended it, if one did.
  public var signal: Int32? = nil

  /// The stop that ended it: a signal, or our stages' own exit on one (StageStop exits
  /// 128 + the signal after saying what it leaves).
  public var stoppedBy: Int32? {
    if let signal { return signal }
    let stops = StopSignals.handled + [SIGKILL]
    return status > 128 && stops.contains(status - 128) ? status - 128 : nil
  }
}

/// Runs stages as a pipeline of the real executables, exactly as a shell would: each
/// one's standard output into the next one's input, the last one's into `output`, and
/// each one's standard error into `<logs>/<stage>.log`.
///
/// The stages cannot outlive clever-sync (ChildProcess). A stop signal (StopSignals)
/// sends SIGTERM to every stage's process group, then SIGKILL to any still there after
/// `grace` seconds; `run` returns only when every stage has exited, so nothing writes
/// into a run's folder after its run has ended.
public enum StagePipeline {
  static let grace = 5.0

  /// `withhold` names variables of this process's environment that no stage inherits:
  /// each gets only the secret its invocation carries.
  public static func run(
    _ stages: [StageInvocation], output: String, logs: String, withhold: Set<String> = [],
    locator: StageLocator = StageLocator(), display: PipelineDisplay? = nil
  ) throws -> [StageOutcome] {
    let paths = try stages.map { stage throws(RunFailure) in try locator.locate(stage.name) }
    let started = monotonicNow()
    var children: [ChildProcess] = []
    var ends: [Double?] = Array(repeating: nil, count: stages.count)
    defer {
      // A failure to start a later stage: the earlier ones are stopped, not left running.
      for child in children where !child.poll() {
        child.stop(SIGKILL)
        child.wait()
      }
    }
    var previous = try openPrivate("/dev/null", flags: O_RDONLY)
    defer { close(previous) }
    for (index, stage) in stages.enumerated() {
      var environment = inherited(withholding: withhold)
      for (key, value) in stage.environment { environment[key] = value }
      let log = try openPrivate(logs + "/\(stage.name).log", flags: O_WRONLY | O_CREAT | O_TRUNC)
      defer { close(log) }
      let next: (read: Int32, write: Int32)
      if index == stages.count - 1 {
        next = (-1, try openPrivate(output, flags: O_WRONLY | O_CREAT | O_TRUNC))
      } else {
        var fds: [Int32] = [0, 0]
        guard child_process_pipe(&fds) == 0 else { throw RunFailure("cannot make a pipe: \(String(cString: strerror(errno)))") }
        next = (fds[0], fds[1])
      }
      defer { close(next.write) }
      do {
        children.append(
          try ChildProcess(
            name: stage.name, path: paths[index], arguments: stage.arguments, environment: environment,
            stdin: previous, stdout: next.write, stderr: log, stage: true))
      } catch {
        if next.read >= 0 { close(next.read) }
        throw error
      }
      // Only the stages hold the pipes' ends now, so each sees end of file when the
      // one before it exits.
      close(previous)
      previous = next.read >= 0 ? next.read : try openPrivate("/dev/null", flags: O_RDONLY)
    }
    display?.begin(children.map(\.name))
    var stopSentAt: Double?
    var reported = Set<Int>()
    while true {
      var running = false
      for (index, child) in children.enumerated() {
        if child.poll() {
          if ends[index] == nil { ends[index] = monotonicNow() }
        } else {
          running = true
        }
      }
      // Each ended stage is told in pipeline order: a stage may exit a moment before the
      // one that fed it (which closed its output, then wrote its summary). One whose
      // predecessor still runs half a second after it ended is told all the same.
      let now = monotonicNow()
      for index in children.indices where ends[index] != nil && !reported.contains(index) {
        let earlierTold = (0..<index).allSatisfy { reported.contains($0) }
        guard earlierTold || !running || now - ends[index]! > 0.5 else { continue }
        reported.insert(index)
        display?.ended(outcome(children[index], stages[index], logs, seconds: ends[index]! - started),
                       log: log(logs, stages[index]))
      }
      if !running { break }
      if StopSignals.received != nil {
        let now = monotonicNow()
        if stopSentAt == nil {
          stopSentAt = now
          for child in children { child.stop(SIGTERM) }
        } else if now - stopSentAt! > grace {
          for child in children { child.stop(SIGKILL) }
        }
      }
      display?.update(children, seconds: monotonicNow() - started)
      usleep(20_000)
    }
    display?.finish()
    return stages.indices.map { outcome(children[$0], stages[$0], logs, seconds: (ends[$0] ?? started) - started) }
  }

  private static func log(_ logs: String, _ stage: StageInvocation) -> String { logs + "/\(stage.name).log" }

  private static func outcome(_ child: ChildProcess, _ stage: StageInvocation, _ logs: String, seconds: Double)
    -> StageOutcome
  {
    StageOutcome(
      name: stage.name, status: child.status ?? 255, seconds: seconds, lastError: lastError(in: log(logs, stage)),
      signal: child.signal)
  }

  static func inherited(withholding: Set<String>) -> [String: String] {
    ProcessInfo.processInfo.environment.filter { !withholding.contains($0.key) }
  }

  /// Opens a descriptor close-on-exec; a file it creates is mode 0600 (logs and outputs
  /// name students).
  static func openPrivate(_ path: String, flags: Int32) throws(RunFailure) -> Int32 {
    let fd = open(path, flags | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw RunFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
    return fd
  }

  /// The last line of a log that says `error:`.
  static func lastError(in log: String) -> String? {
    guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
    return text.split(separator: "\n").last { $0.contains("error:") }.map(String.init)
  }

  /// The last line of a log: a stage's closing line, or what it said when it stopped.
  static func lastLine(in log: String) -> String? {
    guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
    return text.split(separator: "\n").last.map(String.init)
  }
}

func monotonicNow() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
