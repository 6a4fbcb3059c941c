#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import RecordStream

/// Runs a stage's work with the conventions every stage keeps: diagnostics to stderr,
/// data to stdout, a closed pipe downstream ends quietly, failures become the
/// documented exit status.
public struct StageRunner {
  public let reporter: DiagnosticReporter
  private let machineOutput: OutputSink?

  public init(stage: String, options: StageOptions) throws {
    var sink: OutputSink?
    if let path = options.diagnostics {
      let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
      if fd < 0 {
        throw StageFailure(.cannotCreate, code: "E_OUTPUT", "cannot create \(path): \(String(cString: strerror(errno)))")
      }
      sink = OutputSink(fileDescriptor: fd)
    }
    self.machineOutput = sink
    self.reporter = DiagnosticReporter(stage: stage, limitPerCode: options.all ? nil : 20, machineOutput: sink)
  }

  /// Runs `work` and turns its outcome into an exit: never returns normally on failure.
  public func run(_ work: () throws -> Void) throws {
    do {
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

  /// Runs a stage whose setup itself may fail (before a reporter exists).
  public static func failOnSetup(stage: String, _ body: () throws -> Void) throws {
    do {
      try body()
    } catch let failure as StageFailure {
      let reporter = DiagnosticReporter(stage: stage)
      reporter.report(failure)
      throw ExitCode(failure.status.rawValue)
    }
  }
}
