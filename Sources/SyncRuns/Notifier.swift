import Foundation

/// Runs the profile's notification command with the run's summary (JSON) on its
/// standard input, so users wire mail, chat or monitoring. Its failure is reported but
/// never changes the run's status.
public enum Notifier {
  /// The problem, or nil when the command ran and exited 0 within `timeout` seconds.
  /// Its standard input is the summary file itself, not a pipe: a command that does not
  /// read it can neither block nor kill (SIGPIPE) clever-sync.
  public static func send(
    summaryFile: String, to command: [String], log: String, withhold: Set<String>, timeout: Double = 60
  ) -> String? {
    guard let program = command.first else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : StagePipeline.executable(program))
    process.arguments = Array(command.dropFirst())
    process.environment = StagePipeline.inherited(withholding: withhold)
    guard let input = FileHandle(forReadingAtPath: summaryFile) else { return "cannot read \(summaryFile)" }
    process.standardInput = input
    process.standardOutput = try? StagePipeline.privateFile(log)
    process.standardError = process.standardOutput
    do {
      try process.run()
    } catch {
      return "cannot run the notification command \(program): \(error.localizedDescription)"
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    if process.isRunning {
      process.terminate()
      return "the notification command \(program) took more than \(Int(timeout)) s and was stopped"
    }
    return process.terminationStatus == 0 ? nil : "the notification command \(program) exited \(process.terminationStatus)"
  }
}
