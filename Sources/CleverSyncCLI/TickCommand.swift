#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import CChildProcess
import StageCLI
import RecordStream
import RunHistory
import SyncRuns

/// `clever-sync tick`: runs whatever is due and exits, for cron or a systemd timer.
struct TickCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tick",
    abstract: "Run the runs that are due, then exit: for cron or a systemd timer.",
    usage: "clever-sync tick [--profile <name> | --profiles <dir>] [<options>]")
  @OptionGroup var options: ProfileOption
  @OptionGroup var fleet: FleetOption
  @OptionGroup var bounds: FleetBounds
  /// The one run a fleet gives this process (Fleet starts one `tick` per run).
  @Option(name: .long, help: .private) var pending: Int64?
  /// The leases the fleet's daemon took for that run, which this process renews.
  @Option(name: .long, help: .private) var claim: String?

  func run() throws {
    StopSignals.install()
    if let directory = fleet.directory() {
      let fleet = bounds.fleet(directory)
      fleet.pass()
      if let signal = StopSignals.received { throw ExitCode(128 + signal) }
      // The worst status any run's process ended with: 0 only when every run succeeded.
      if let worst = fleet.failures.map(\.status).max() { throw ExitCode(worst) }
      return
    }
    if claim != nil {
      // A fleet's run ends with its daemon: a stop, as systemctl stop would give it.
      _ = child_process_die_with_parent(SIGTERM)
    }
    let engine = try options.engine()
    engine.leaseSeconds = bounds.lease
    // Another tick or run holds the profile: it will see to what is due.
    guard let lock = try claim.map({ try engine.adopt(holder: $0) }) ?? engine.tryLock() else {
      Say.line("another run of profile \(engine.profile.name) is in progress: nothing to do")
      return
    }
    var worst: Error?
    var runs: [RunRecord] = []
    let scheduler = Scheduler(engine: engine)
    do {
      if let pending {
        // Still due and still Pending (another process may have run it meanwhile).
        if let run = try scheduler.due().first(where: { $0.id == pending }) { runs = [try scheduler.start(run)] }
      } else {
        runs = try scheduler.tick()
      }
    } catch { throw RunOutcome.unrecordable(error, engine) }
    for run in runs {
      do { try RunOutcome.report(run, engine, naming: pending != nil) } catch { worst = worst ?? error }
    }
    withExtendedLifetime(lock) {}
    if let worst { throw worst }
  }
}
