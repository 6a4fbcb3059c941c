#if canImport(Glibc)
  import Glibc
#endif
import Foundation

/// Runs the profile's notification command with the run's summary (JSON) on its
/// standard input, so users wire mail, chat or monitoring. Its failure is reported but
/// never changes the run's status.
public enum Notifier {
  /// The problem, or nil when the command ran and exited 0 within `timeout` seconds.
  /// Its standard input is the summary file itself, not a pipe: a command that does not
  /// read it can neither block nor kill (SIGPIPE) clever-sync. It is stopped, with
  /// whatever it started, on a stop signal or at the timeout.
  public static func send(
    summaryFile: String, to command: [String], log: String, withhold: Set<String>, timeout: Double = 60,
    locator: StageLocator = StageLocator()
  ) -> String? {
    guard let program = command.first else { return nil }
    let child: ChildProcess
    do {
      let path = try locator.locate(program)
      let input = try StagePipeline.openPrivate(summaryFile, flags: O_RDONLY)
      defer { close(input) }
      let output = try StagePipeline.openPrivate(log, flags: O_WRONLY | O_CREAT | O_TRUNC)
      defer { close(output) }
      child = try ChildProcess(
        name: program, path: path, arguments: Array(command.dropFirst()),
        environment: StagePipeline.inherited(withholding: withhold), stdin: input, stdout: output, stderr: output,
        stage: false)
    } catch {
      return "cannot run the notification command \(program): \(error)"
    }
    let deadline = monotonicNow() + timeout
    while !child.poll(), monotonicNow() < deadline, StopSignals.received == nil { usleep(20_000) }
    if !child.poll() {
      child.stop(SIGTERM)
      let grace = monotonicNow() + 2
      while !child.poll(), monotonicNow() < grace { usleep(20_000) }
      child.stop(SIGKILL)
      child.wait()
      if let signal = StopSignals.received {
        return "the notification command \(program) was stopped by \(StopSignals.name(signal))"
      }
      return "the notification command \(program) took more than \(Int(timeout)) s and was stopped"
    }
    return child.status == 0 ? nil : "the notification command \(program) exited \(child.status ?? 255)"
  }
}
