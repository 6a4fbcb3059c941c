#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import Foundation
import RecordStream
import RunHistory

/// `clever-sync history`: the runs, the most recent activity first.
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List the runs: Pending, Running, Succeeded, Failed, Held, Skipped, Cancelled, Interrupted.",
    usage: "clever-sync history [--profile <name> | --profiles <dir>] [<options>]")
  @OptionGroup var options: ProfileOption
  @OptionGroup var fleet: FleetOption
  @Option(name: .long, help: ArgumentHelp("Only runs with this status (pending, running, succeeded, failed, ...).", valueName: "status"))
  var status: String?
  @Flag(name: .long, help: "One JSON object per run (NDJSON), for machines.")
  var json = false
  @Flag(name: .long, help: "Keep the list on screen and redraw it whenever the history changes.")
  var watch = false
  @Option(name: .long, help: ArgumentHelp("How many runs: the most recent activity first, runs still waiting last.", valueName: "n"))
  var limit = 20

  func validate() throws {
    if let status, RunStatus(rawValue: status.lowercased()) == nil {
      throw ValidationError("--status \(status): say one of " + RunStatus.allCases.map(\.rawValue).joined(separator: ", "))
    }
    if watch && fleet.folder != nil { throw ValidationError("--watch shows one profile: leave out --all and --profiles") }
  }

  func run() throws {
    let wanted = status.flatMap { RunStatus(rawValue: $0.lowercased()) }
    if let directory = fleet.directory() {
      // --profile filters the fleet, as a glob on profile names.
      let (runs, zones) = try FleetHistory(directory: directory, pattern: options.profile, status: wanted, limit: limit).runs()
      if json {
        for run in runs { print(Listing.jsonLine(Listing.json(run))) }
      } else {
        print(Listing.table(runs, zones: zones))
      }
      return
    }
    let engine = try options.engine()
    engine.markDeadRuns()  // a dead process's Running row is shown Interrupted
    let zone = engine.profile.timeZone
    let name = engine.profile.name
    guard watch else {
      let runs = Array(try engine.history.runs(profile: name, limit: wanted == nil ? limit : max(limit * 20, 1000))
        .filter { wanted == nil || $0.status == wanted }.prefix(limit))
      if json {
        for run in runs { print(Listing.jsonLine(Listing.json(run))) }
      } else {
        print(Listing.table(runs, zone: zone))
      }
      return
    }
    // Redrawn by GRDB's observation of the database, whichever process changes it.
    let limit = self.limit
    let json = self.json
    // The screen is cleared for each list only where TerminalStyle allows it; elsewhere
    // (a file, a pipe, NO_COLOR) the lists follow one another.
    let redraw = TerminalStyle.allowed(on: 1)
    let observer = try engine.history.observe(profile: name, limit: limit) { runs in
      let shown = Array(runs.prefix(limit))
      if json {
        for run in shown { print(Listing.jsonLine(Listing.json(run))) }
      } else {
        print((redraw ? "\u{1B}[H\u{1B}[2J" : "\n") + Listing.table(shown, zone: zone) + "\n\n(watching; Ctrl-C ends)")
      }
      fflush(nil)
    }
    withExtendedLifetime(observer) {
      while true { sleep(3600) }
    }
  }
}
