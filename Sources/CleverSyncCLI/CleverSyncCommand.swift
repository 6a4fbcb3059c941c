import ArgumentParser
import StageCLI

/// `clever-sync`: manual and scheduled runs of the whole pipeline, their history, and
/// the guard against uploading a set that would wipe a district.
public struct CleverSyncCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "clever-sync",
    abstract: "Run, schedule and keep the history of roster uploads from QuickSchools to Clever.",
    discussion: "Each profile (clever-sync(5)) names a school's source, mapping, destination and limits. See clever-sync(1).",
    version: ToolVersion.current,
    subcommands: [
      ConfigCommand.self, RunCommand.self, ScheduleCommand.self, TickCommand.self, DaemonCommand.self,
      HistoryCommand.self, ShowCommand.self, ApproveCommand.self, TestConnectionCommand.self,
      HealthCommand.self,
    ])

  public init() {}
}
