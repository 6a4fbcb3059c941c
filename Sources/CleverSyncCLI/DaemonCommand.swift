#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import Foundation
import SyncRuns

/// `clever-sync daemon`: runs due runs and sleeps until the next, for ever.
struct DaemonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "daemon",
    abstract: "Run scheduled runs as they fall due; sleep in between (stop it with SIGTERM or SIGINT).",
    usage: "clever-sync daemon [--profile <name> | --profiles <dir>] [<options>]")
  @OptionGroup var options: ProfileOption
  @OptionGroup var fleet: FleetOption
  @OptionGroup var bounds: FleetBounds
  @Option(name: .long, help: ArgumentHelp("Look for new schedules at least this often, in seconds.", valueName: "seconds"))
  var poll: Double = 60
  @Option(name: .customLong("health-file"), help: ArgumentHelp(
    "With --profiles: touch this file at every pass of the loop, once the profiles were read (see `health`).",
    valueName: "path"))
  var healthFile: String?

  func validate() throws {
    guard poll >= 1 else { throw ValidationError("--poll must be at least 1 second") }
    // One profile's daemon runs its runs in its own loop, which stands still for a whole
    // run: a fleet of one profile (a folder holding it alone) has the health file.
    guard healthFile == nil || fleet.folder != nil else {
      throw ValidationError("--health-file needs --profiles or --all (for one profile, a folder holding it alone)")
    }
  }

  func run() throws {
    if let directory = fleet.directory() {
      // SIGHUP re-reads the folder; SIGTERM and SIGINT stop the daemon and its runs.
      StopSignals.install(hangupReloads: true)
      let health = try healthFile.map { try HealthFile(path: $0) }
      Say.line("daemon for the profiles in \(directory.folder) started (pid \(getpid()), --jobs \(bounds.jobs), "
        + "--sftp-per-host \(bounds.sftpPerHost), --lease \(bounds.lease), node \(LeaseHolder.node(ProcessInfo.processInfo.environment)))")
      bounds.fleet(directory).serve(poll: poll) { health?.beat() }
      health?.remove()
      Say.line("daemon for the profiles in \(directory.folder) stopped by \(StopSignals.name(StopSignals.received ?? SIGTERM))")
      return
    }
    StopSignals.install()
    let engine = try options.engine()
    engine.leaseSeconds = bounds.lease
    let scheduler = Scheduler(engine: engine)
    Say.line("daemon for profile \(engine.profile.name) started (pid \(getpid()))")
    while StopSignals.received == nil {
      // A failure of one tick (a busy database...) is reported; the daemon goes on.
      do {
        if let lock = try engine.tryLock() {
          for run in try scheduler.tick() { try? RunOutcome.report(run, engine) }
          withExtendedLifetime(lock) {}
        }
      } catch {
        Say.line("warning: \(error)")
      }
      // Sleep until the next run falls due, but wake now and then: another command may
      // have added a schedule meanwhile.
      let next = (try? scheduler.nextDue())??.timeIntervalSinceNow ?? poll
      let seconds = min(max(next, 0.2), poll)
      StopSignals.sleep(seconds)
    }
    // Stopping is what SIGTERM asks of a daemon (systemctl stop): a run it cancelled is
    // in the history as Cancelled, and the exit is clean.
    Say.line("daemon for profile \(engine.profile.name) stopped by \(StopSignals.name(StopSignals.received ?? SIGTERM))")
  }
}
