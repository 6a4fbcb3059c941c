#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import RecordStream
import RunHistory
import SyncRuns

/// `clever-sync run`: the whole pipeline now, recorded in the history.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Extract, map, validate, write and upload now; the run is recorded in the history.")
  @OptionGroup var options: ProfileOption
  @Flag(name: .long, help: "Build and check the set, keep it, and do not upload.")
  var dryRun = false

  func run() throws {
    StopSignals.install()
    let engine = try options.engine()
    let lock: ProfileClaim
    do { lock = try engine.lock() } catch { throw Say.fail("\(error)", .temporaryFailure) }
    let run: RunRecord
    do { run = try engine.runNow(dryRun: dryRun) } catch { throw RunOutcome.unrecordable(error, engine) }
    withExtendedLifetime(lock) {}
    try RunOutcome.report(run, engine)
  }
}

/// How a finished run is told and what status the command exits with: 0 Succeeded,
/// 1 Held (the guard found a problem), else the failing stage's status.
enum RunOutcome {
  /// `naming`: the line names the profile (a fleet's runs share one log).
  static func report(_ run: RunRecord, _ engine: RunEngine, naming: Bool = false) throws {
    // The reason, when there is one, already says how the upload failed or stopped.
    let tail = run.reason ?? run.uploadResult
    Say.line((naming ? "profile \(engine.profile.name): " : "") + "run \(run.id): \(run.status.title)" + (tail.map { ": \($0)" } ?? ""))
    // What happened was said, but the history does not know it: that is the failure.
    if engine.unrecorded.contains(run.id) { throw ExitCode(ExitStatus.ioError.rawValue) }
    switch run.status {
    case .succeeded, .skipped: return
    case .held: throw ExitCode(ExitStatus.problemsFound.rawValue)
    case .cancelled: throw ExitCode(128 + (StopSignals.received ?? SIGTERM))
    default:
      // "qs-extract exited 77: ..." carries the stage's own status.
      let status = run.reason.flatMap { reason in
        reason.range(of: " exited ").flatMap { Int32(reason[$0.upperBound...].prefix { $0.isNumber }) }
      }
      throw ExitCode(status ?? ExitStatus.unavailable.rawValue)
    }
  }

  /// A run that could not even be recorded as started (a full disk): nothing ran.
  static func unrecordable(_ error: any Error, _ engine: RunEngine) -> ExitCode {
    let hint = RunHistory.isUnreachable(error) || engine.history.path.hasPrefix("postgresql://")
      ? "(can the database be reached, and does it allow another connection?)" : "(is the disk full?)"
    return Say.fail("cannot record a new run in \(engine.history.path): \(error); nothing was run \(hint)", .ioError)
  }
}
