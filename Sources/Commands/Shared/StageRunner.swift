#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import RecordStream

/// Runs a stage's work with the conventions every stage keeps: diagnostics to stderr
/// (and to the `--diagnostics` file), data to stdout, a closed pipe downstream ends
/// quietly, failures become the documented exit status.
public struct StageRunner {
  public let reporter: DiagnosticReporter
  /// A failure found while setting up (the diagnostics file), reported by `run`.
  private let setupFailure: StageFailure?

  public init(stage: String, options: StageOptions) {
    var sink: OutputSink?
    var failure: StageFailure?
    if let path = options.diagnostics {
      let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
      if fd < 0 {
        failure = StageFailure(.cannotCreate, code: "E_OUTPUT", "cannot create \(path): \(String(cString: strerror(errno)))")
      } else {
        fchmod(fd, 0o600)  // an existing file too: diagnostics name students
        sink = OutputSink(fileDescriptor: fd)
      }
    }
    self.setupFailure = failure
    self.reporter = DiagnosticReporter(stage: stage, limitPerCode: options.all ? nil : 20, machineOutput: sink)
  }

  /// Runs `work` and turns its outcome into an exit: throws `ExitCode` on failure.
  public func run(_ work: () throws -> Void) throws {
    do {
      if let setupFailure { throw setupFailure }
      try work()
      reporter.finish()
    } catch is ClosedPipe {
      reporter.finish()
    } catch let failure as StageFailure {
      reporter.report(failure)
      reporter.finish()
      throw ExitCode(failure.status.rawValue)
    }
  }

  /// Runs set-up work that may fail before a runner exists (opening the input).
  public static func failOnSetup(stage: String, _ body: () throws -> Void) throws {
    do {
      try body()
    } catch let failure as StageFailure {
      DiagnosticReporter(stage: stage).report(failure)
      throw ExitCode(failure.status.rawValue)
    }
  }
}
