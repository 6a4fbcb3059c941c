import ArgumentParser
import StageCLI

/// `clever-csv`: Clever records to Clever's CSV files, and back.
public struct CleverCSVCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "clever-csv",
    abstract: "Write Clever's CSV files from Clever records, or read them back.",
    discussion: "Without a subcommand, 'write' runs, as in `clever-csv -o out/ < records.ndjson`; clever-csv(1) tells more.",
    version: ToolVersion.current,
    subcommands: [WriteCommand.self, ReadCommand.self],
    defaultSubcommand: WriteCommand.self)

  public init() {}
}
