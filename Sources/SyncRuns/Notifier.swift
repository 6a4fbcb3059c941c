import Foundation

/// Runs the profile's notification command with the run's summary (JSON) on its
/// standard input, so users wire mail, chat or monitoring. Its failure is reported but
/// never changes the run's status.
public enum Notifier {
  /// The problem, or nil when the command ran and exited 0 within `timeout` seconds.
  public static func send(_ summary: String, to command: [String], log: String, timeout: Double = 60) -> String? {
    guard let program = command.first else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : StagePipeline.executable(program))
    process.arguments = Array(command.dropFirst())
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = try? StagePipeline.privateFile(log)
    process.standardError = process.standardOutput
    do {
      try process.run()
    } catch {
      return "cannot run the notification command \(program): \(error.localizedDescription)"
    }
    input.fileHandleForWriting.write(Data(summary.utf8))
    try? input.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    if process.isRunning {
      process.terminate()
      return "the notification command \(program) took more than \(Int(timeout)) s and was stopped"
    }
    return process.terminationStatus == 0 ? nil : "the notification command \(program) exited \(process.terminationStatus)"
  }
}
