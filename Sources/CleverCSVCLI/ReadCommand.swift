import ArgumentParser
import StageCLI
import CleverFiles
import CleverFormat
import RecordStream

/// `clever-csv read`: Clever CSV files back to Clever records.
struct ReadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "read",
    abstract: "Read a directory of Clever CSV files, from any tool, as records.")

  @Argument(help: ArgumentHelp("The directory holding schools.csv, students.csv, ...", valueName: "dir"))
  var directory: String

  @Flag(name: .long, help: ArgumentHelp(
    "Rewrite each value that has one obvious documented form into that form (female -> F, 11/1/98 -> 11/01/1998), saying so.",
    discussion: "A two-digit year is a DOB's latest such year not after this one, and another date's nearest one."))
  var normalize = false

  func run() throws {
    let runner = StageRunner(stage: "clever-csv", options: try StageOptions.parse([]))
    let output = OutputSink.standardOutput()
    try runner.run {
      guard POSIXPath.isDirectory(directory) else {
        throw StageFailure(.noInput, code: "E_INPUT", "\(directory) is not a directory")
      }
      var count = 0
      var changes = 0
      var reader = CleverSetReader(directory: directory)
      if normalize {
        let base = reader.directory
        reader.normalize = { file, line, change in
          changes += 1
          runner.reporter.note("\(base)/\(file):\(line): note: \(change)")
        }
      }
      try reader.forEachRecord { record in
        count += 1
        try output.write { record.appendJSON(to: &$0); $0.append(0x0A) }
      }
      try output.flush()
      runner.reporter.note("read \(count) records from \(directory)" + (normalize ? ", \(changes) values rewritten" : ""))
    }
  }
}
