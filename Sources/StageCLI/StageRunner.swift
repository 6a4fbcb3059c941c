#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import RecordStream
import RosterRecords

/// Runs a stage's work with the conventions every stage keeps: diagnostics to stderr
/// (and to the `--diagnostics` file), data to stdout, a closed pipe downstream ends
/// quietly, failures become the documented exit status.
public struct StageRunner {
  public let reporter: DiagnosticReporter
  /// A failure found while setting up (the diagnostics file), reported by `run`.
  private let setupFailure: StageFailure?

  public init(stage: String, options: StageOptions) {
    self.init(stage: stage, diagnosticsFile: options.diagnostics, all: options.all)
  }

  /// For a stage that reads no record stream, and so has only these two of StageOptions.
  public init(stage: String, diagnosticsFile: String?, all: Bool) {
    var sink: OutputSink?
    var failure: StageFailure?
    if let path = diagnosticsFile {
      let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
      if fd < 0 {
        failure = StageFailure(.cannotCreate, code: "E_OUTPUT", "cannot create \(path): \(String(cString: strerror(errno)))")
      } else {
        fchmod(fd, 0o600)  // an existing file too: diagnostics name students
        sink = OutputSink(fileDescriptor: fd)
      }
    }
    self.setupFailure = failure
    self.reporter = DiagnosticReporter(stage: stage, limitPerCode: all ? nil : 20, machineOutput: sink)
  }

  /// Runs `work` and turns its outcome into an exit: throws `ExitCode` on failure.
  public func run(_ work: () throws -> Void) throws {
    var failure: (any Error)?
    do {
      if let setupFailure { throw setupFailure }
      try work()
    } catch { failure = error }
    try conclude(failure)
  }

  /// The same for asynchronous work.
  public func run(_ work: () async throws -> Void) async throws {
    var failure: (any Error)?
    do {
      if let setupFailure { throw setupFailure }
      try await work()
    } catch { failure = error }
    try conclude(failure)
  }

  /// A closed pipe downstream ends quietly; a stage failure is reported and becomes
  /// its exit status; anything else goes on up.
  private func conclude(_ failure: (any Error)?) throws {
    if let stage = failure as? StageFailure { reporter.report(stage) }
    reporter.finish()
    switch failure {
    case nil, is ClosedPipe: return
    case let stage as StageFailure: throw ExitCode(ExitStatus(stage.kind).rawValue)
    case let other?: throw other
    }
  }

  /// Runs set-up work that may fail before a runner exists (opening the input).
  public static func failOnSetup(stage: String, _ body: () throws -> Void) throws {
    do {
      try body()
    } catch let failure as StageFailure {
      DiagnosticReporter(stage: stage).report(failure)
      throw ExitCode(ExitStatus(failure.kind).rawValue)
    }
  }
}
