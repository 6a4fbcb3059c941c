#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import CleverFormat
import CleverValidation
import RecordStream
import RosterRecords

/// `clever-validate`: every Clever rule checked before anything is uploaded.
public struct CleverValidateCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "clever-validate",
    abstract: "Check Clever records or CSV files against Clever's rules, row by row.",
    usage: "clever-validate [<options>] [<path> ...]",
    discussion: """
      Without a path, reads Clever records (NDJSON) from standard input, passes every \
      record through to standard output unchanged, and appends a `validation` record, \
      so clever-csv refuses to write a set with errors. Given a directory or CSV files \
      made by any tool, checks those and writes the `validation` record. Findings go to \
      standard error as file:line: severity: [CODE] message; clever-validate(1) tells more.
      """,
    version: ToolVersion.current)

  @Flag(name: .long, help: "Count warnings as errors: status 1 on any warning.")
  var strict = false

  @Option(name: .long, help: ArgumentHelp("Also write a JUnit XML report to this file, mode 0600.", valueName: "file"))
  var junit: String?

  @Flag(name: .long, help: "Accept a stream or directory with no Clever records at all (Clever would delete everything).")
  var allowEmpty = false

  @OptionGroup var stage: StageOptions

  @Argument(help: ArgumentHelp("A directory of Clever CSV files, or CSV files; none (or -) reads records from standard input.",
                               valueName: "path"))
  var paths: [String] = []

  public init() {}

  public func run() throws {
    let runner = StageRunner(stage: "clever-validate", options: stage)
    var junitReport = JUnitReport(strict: strict, byRecordType: readsStream)
    let validator = CleverValidator(
      options: .init(rowPerContact: !readsStream, placesPerReference: stage.all ? nil : 20)
    ) { diagnostic in
      runner.reporter.report(diagnostic)
      if junit != nil { junitReport.add(diagnostic) }
    }
    validator.note = runner.reporter.note
    let output = OutputSink.standardOutput()
    var names: [String] = []
    var unreadable = false
    var skipped = 0
    try runner.run {
      // Opened first: a report that cannot be written must stop the run before any
      // record goes down the pipe.
      let junitFile = try junit.map(createReport)
      if readsStream {
        var reader = RecordReader(source: .standardInput, keepGoing: stage.keepGoing, reporter: runner.reporter,
                                  maxLineBytes: stage.maxLineBytes, decodesClever: true)
        try reader.forEach { record in
          if CleverFile(recordType: record.type) != nil {
            validator.check(try record.cleverRecord(), source: "<stdin>", line: record.line)
          }
          try output.write(record.raw)
          try output.write([0x0A])
        }
        skipped = reader.skippedCount
        unreadable = skipped > 0
        names = CleverFile.allCases.map(\.recordType)
      } else {
        var csv = CSVSetValidation(validator: validator)
        if isDirectory {
          try csv.validate(directory: paths[0])
        } else {
          try csv.validate(files: paths)
        }
        unreadable = csv.unreadable
        names = CSVSetValidation.order.map(\.fileName)
      }
      validator.finish()
      // A whole set (a stream, a directory) with no records is what an upstream stage
      // that failed leaves; uploaded, Clever would delete everything. Named files are
      // parts of a set, and an empty staff.csv is a fine part.
      let empty = validator.recordCount == 0 && !allowEmpty && (readsStream || isDirectory)
      // A line skipped with --keep-going is a record missing downstream, and an empty
      // set is one clever-csv must not write: errors both.
      let errors = validator.errorCount + skipped + (empty ? 1 : 0) + (strict ? validator.warningCount : 0)
      let summary = ValidationRecord(
        errors: errors, warnings: validator.warningCount, records: validator.recordCount, strict: strict)
      try output.write { JSONWriter.append(.object(summary.object), to: &$0); $0.append(0x0A) }
      try output.flush()
      for (index, file) in CSVSetValidation.order.enumerated() {
        guard let report = validator.reports[file] else { continue }
        let name = readsStream ? file.recordType : CSVSetValidation.order.map(\.fileName)[index]
        runner.reporter.note(report.line(name: name))
      }
      if let junitFile {
        try junitFile.write(Array(junitReport.xml(files: names).utf8))
        try junitFile.flush()
      }
      if unreadable {
        throw StageFailure(.dataError, code: "E_UNREADABLE", "some input could not be read; its checks are incomplete")
      }
      if empty {
        let input = readsStream ? "<stdin>" : paths[0]
        throw StageFailure(.dataError, code: "E_EMPTY",
                           "\(input) holds no Clever records; uploaded, an empty set would delete everything in Clever "
                             + "(--allow-empty accepts it)")
      }
      if errors > 0 {
        let found = [(validator.errorCount + skipped, "error"), (strict ? validator.warningCount : 0, "warning")]
          .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }.joined(separator: " and ")
        runner.reporter.note("\(found)\(strict && validator.warningCount > 0 ? " (--strict counts warnings)" : ""): Clever would not take this set as it is")
        runner.reporter.finish()
        throw ExitCode(ExitStatus.problemsFound.rawValue)
      }
    }
  }

  private var readsStream: Bool { paths.isEmpty || paths == ["-"] }
  private var isDirectory: Bool { paths.count == 1 && POSIXPath.isDirectory(paths[0]) }

  public func validate() throws {
    if paths.contains("-") && paths.count > 1 { throw ValidationError("'-' (standard input) cannot be mixed with files") }
    if paths.count > 1, paths.contains(where: POSIXPath.isDirectory) {
      throw ValidationError("give one directory, or CSV files, not both")
    }
  }

  private func createReport(_ path: String) throws -> OutputSink {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw StageFailure(.cannotCreate, code: "E_OUTPUT", "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    fchmod(fd, 0o600)  // the report quotes students' values
    return OutputSink(fileDescriptor: fd)
  }
}
