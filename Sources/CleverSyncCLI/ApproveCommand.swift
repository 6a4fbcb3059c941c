import ArgumentParser
import StageCLI
import RecordStream
import RunHistory
import SyncRuns

/// `clever-sync approve RUN`: uploads exactly the set a Held run built.
struct ApproveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract: "Upload exactly the set that a Held run built (each file checked against its recorded SHA-256).")
  @OptionGroup var options: ProfileOption
  @Argument(help: ArgumentHelp("The Held run's ID.", valueName: "run")) var runID: Int64
  @Flag(
    name: .long,
    help: "Upload the held set even though a newer set was uploaded since it was held: Clever goes back to the older roster.")
  var rollBackNewerUpload = false

  func run() throws {
    StopSignals.install()
    let engine = try options.engine()
    let lock: ProfileClaim
    do { lock = try engine.lock() } catch { throw Say.fail("\(error)", .temporaryFailure) }
    let approval: RunRecord
    do {
      approval = try engine.approve(runID, rollBack: rollBackNewerUpload)
    } catch let refused as StaleApproval {
      throw Say.fail("\(refused)", .dataError)
    } catch let refused as RunFailure {
      throw Say.fail("\(refused)", .dataError)
    } catch {
      throw RunOutcome.unrecordable(error, engine)
    }
    withExtendedLifetime(lock) {}
    try RunOutcome.report(approval, engine)
  }
}
