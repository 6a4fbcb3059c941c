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
  public let status: Int32
  public let seconds: Double
  /// Its last error line, for the run's reason.
  public let lastError: String?
}

/// Runs stages as a pipeline of the real executables, exactly as a shell would: each
/// one's standard output into the next one's input, the last one's into `output`, and
/// each one's standard error into `<logs>/<stage>.log`.
public enum StagePipeline {
  /// The stages' executables: beside this program (a build or an install puts them
  /// together), else on PATH.
  public static func executable(_ name: String) -> String {
    let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    let beside = own.appendingPathComponent(name).path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return name
  }

  /// `withhold` names variables of this process's environment that no stage inherits:
  /// each gets only the secret its invocation carries.
  public static func run(
    _ stages: [StageInvocation], output: String, logs: String, withhold: Set<String> = []
  ) throws -> [StageOutcome] {
    let started = Date()
    var processes: [Process] = []
    var previous: Pipe?
    let ends = EndTimes(count: stages.count)
    for (index, stage) in stages.enumerated() {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable(stage.name))
      process.arguments = stage.arguments
      var environment = inherited(withholding: withhold)
      for (key, value) in stage.environment { environment[key] = value }
      process.environment = environment
      process.standardInput = previous ?? FileHandle.nullDevice
      let log = try privateFile(logs + "/\(stage.name).log")
      process.standardError = log
      if index == stages.count - 1 {
        process.standardOutput = try privateFile(output)
      } else {
        let pipe = Pipe()
        process.standardOutput = pipe
        previous = pipe
      }
      process.terminationHandler = { _ in ends.mark(index) }
      try process.run()
      processes.append(process)
    }
    for process in processes { process.waitUntilExit() }
    return stages.enumerated().map { index, stage in
      StageOutcome(
        name: stage.name, status: processes[index].terminationStatus,
        seconds: ends.time(index).map { $0.timeIntervalSince(started) } ?? 0,
        lastError: lastError(in: logs + "/\(stage.name).log"))
    }
  }

  static func inherited(withholding: Set<String>) -> [String: String] {
    ProcessInfo.processInfo.environment.filter { !withholding.contains($0.key) }
  }

  /// A new file for writing, mode 0600: logs and outputs name students.
  static func privateFile(_ path: String) throws -> FileHandle {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw RunFailure("cannot create \(path): \(String(cString: strerror(errno)))") }
    return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
  }

  /// The last line of a log that says `error:`.
  static func lastError(in log: String) -> String? {
    guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
    return text.split(separator: "\n").last { $0.contains("error:") }.map(String.init)
  }
}

/// When each stage ended, written from Process's termination handlers.
private final class EndTimes: @unchecked Sendable {
  private let lock = NSLock()
  private var times: [Date?]
  init(count: Int) { times = Array(repeating: nil, count: count) }
  func mark(_ index: Int) { lock.withLock { times[index] = Date() } }
  func time(_ index: Int) -> Date? { lock.withLock { times[index] } }
}
