import ArgumentParser
import StageCLI
import CleverFiles
import CleverFormat
import RecordStream
import RosterRecords

/// `clever-csv write`: the stream's Clever records become a complete, atomic file set.
struct WriteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "write",
    abstract: "Write Clever's CSV files from records (schools.csv, students.csv, ...), atomically.",
    usage: "clever-csv write --output <dir> [<options>] [<input>]")

  @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The directory to write the set into.", valueName: "dir"))
  var output: String

  @Flag(name: .long, help: "Write even if the stream's validation record counts errors, or the stream looks cut short.")
  var force = false

  @Flag(name: .long, help: "Write a set with no records at all (Clever would delete everything).")
  var allowEmpty = false

  @OptionGroup var stage: StageOptions

  @Argument(help: ArgumentHelp("NDJSON input file; - or nothing reads standard input.", valueName: "input"))
  var input: String?

  func run() throws {
    var source = InputSource.standardInput
    try StageRunner.failOnSetup(stage: "clever-csv") { source = try InputSource.open(input) }
    let runner = StageRunner(stage: "clever-csv", options: stage)
    let output = OutputSink.standardOutput()
    try runner.run {
      defer { source.close() }
      let files = try CleverFileSetWriter(directory: self.output)
      do {
        var completeness = StreamCompleteness()
        var bracket = ExtractBracket()
        var validationErrors = 0
        var strict = false
        var reader = RecordReader(source: source, keepGoing: stage.keepGoing, reporter: runner.reporter,
                                  maxLineBytes: stage.maxLineBytes, decodesClever: true)
        try reader.forEach { record in
          if CleverFile(recordType: record.type) != nil {
            let clever = try record.cleverRecord()
            if let refusal = clever.controlCharacterError() { throw refusal }
            completeness.note(clever)
            try files.append(clever)
          } else if record.type == ValidationRecord.type {
            let validation = try ValidationRecord(object: record.object)
            validationErrors += validation.errors
            strict = strict || validation.strict
          } else {
            bracket.note(type: record.type, object: record.object, line: record.line)
            try output.write(record.raw)
            try output.write([0x0A])
          }
        }
        // Never forced: an extract left open means a school's roster is missing rows.
        if let problem = bracket.problem {
          throw StageFailure(.dataError, code: "E_CUT_SHORT", problem + "; no files were written (--force does not "
            + "override this: if the stream is whole, leave its extract records out with "
            + "jq -c 'select(.type != \"extract\")')", place: source.name)
        }
        if validationErrors > 0 && !force {
          throw StageFailure(.dataError, code: "E_VALIDATION",
                             "the stream's validation record counts \(validationErrors) error\(validationErrors == 1 ? "" : "s")"
                               + (strict ? ", warnings included (--strict)" : "") + "; no files written "
                               + "(fix them, or --force to write anyway)")
        }
        if completeness.records == 0 && !allowEmpty {
          throw StageFailure(.dataError, code: "E_EMPTY",
                             "\(source.name) holds no Clever records; an empty set would delete everything in Clever, "
                               + "so no files were written (--allow-empty writes it)")
        }
        if let problem = completeness.problem, !force {
          throw StageFailure(.dataError, code: "E_INCOMPLETE", problem + "; no files were written (--force writes anyway)")
        }
        let written = try files.commit()
        for file in written {
          try output.write { JSONWriter.append(.object(file.object), to: &$0); $0.append(0x0A) }
        }
        try output.flush()
        let counts = written.map { "\($0.name) \($0.rows)" }.joined(separator: ", ")
        runner.reporter.note("wrote \(written.count) files to \(files.directory) (rows: \(counts))")
      } catch {
        files.abandon()
        throw error
      }
    }
  }
}
