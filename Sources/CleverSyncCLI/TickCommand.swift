import ArgumentParser
import StageCLI
import RecordStream
import RunHistory
import SyncRuns

/// `clever-sync tick`: runs whatever is due and exits, for cron or a systemd timer.
struct TickCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tick",
    abstract: "Run the runs that are due, then exit: for cron or a systemd timer.")
  @OptionGroup var options: ProfileOption

  func run() throws {
    StopSignals.install()
    let engine = try options.engine()
    // Another tick or run holds the profile: it will see to what is due.
    guard let lock = try engine.tryLock() else {
      Say.line("another run of profile \(engine.profile.name) is in progress: nothing to do")
      return
    }
    var worst: Error?
    let runs: [RunRecord]
    do { runs = try Scheduler(engine: engine).tick() } catch { throw RunOutcome.unrecordable(error, engine) }
    for run in runs {
      do { try RunOutcome.report(run, engine) } catch { worst = worst ?? error }
    }
    withExtendedLifetime(lock) {}
    if let worst { throw worst }
  }
}
