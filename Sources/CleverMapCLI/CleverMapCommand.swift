#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import CleverFormat
import CleverMapping
import RosterRecords
import RecordStream

/// `clever-map`: QuickSchools records in, Clever records out (mapping-rules.md).
public struct CleverMapCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "clever-map",
    abstract: "Turn QuickSchools records (qs.*) into Clever records (clever.*).",
    usage: "clever-map [<options>] [<input>]",
    discussion: """
      Reads NDJSON from INPUT (or standard input) and writes NDJSON to standard output. \
      Records of other types pass through unchanged. Diagnostics go to standard error. \
      See clever-map(1) and roster-records(5).
      """,
    version: ToolVersion.current)

  @Option(name: .long, help: ArgumentHelp("Your own grade table: lines such as 'MAS = 5' (ABBREVIATION = CleverGrade).", valueName: "file"))
  var gradeMap: String?

  @Flag(name: .long, help: "Only exact Clever grade values; everything else becomes Other (the old integration's rule).")
  var strictGrades = false

  @Option(name: .long, help: ArgumentHelp("Where School_id comes from: id (the QuickSchools school ID) or code (the sub-domain).", valueName: "id|code"))
  var schoolId: MappingOptions.SchoolIDSource = .id

  @Option(name: .long, help: ArgumentHelp("Export the sections of this term (ID or name) instead of the active one.", valueName: "term"))
  var term: String?

  @OptionGroup var stage: StageOptions

  @Argument(help: ArgumentHelp("NDJSON input file; - or nothing reads standard input.", valueName: "input"))
  var input: String?

  public init() {}

  public func validate() throws {
    if strictGrades, gradeMap != nil {
      throw ValidationError("--strict-grades gives exactly the exact-value rule; it cannot be combined with --grade-map")
    }
  }

  public func run() throws {
    var options = MappingOptions(schoolIDSource: schoolId, term: term)
    var source = InputSource.standardInput
    try StageRunner.failOnSetup(stage: "clever-map") {
      var userMap = GradeMap()
      if let gradeMap { userMap = try GradeMap(parsing: try readTextFile(gradeMap), fileName: gradeMap) }
      options.gradeMapper = GradeMapper(strict: strictGrades, userMap: userMap)
      source = try InputSource.open(input)
    }
    let runner = StageRunner(stage: "clever-map", options: stage)
    let output = OutputSink.standardOutput()
    try runner.run {
      defer { source.close() }
      let mapper = RosterMapper(options: options, inputName: source.name, report: runner.reporter.report)
      var reader = RecordReader(source: source, keepGoing: stage.keepGoing, reporter: runner.reporter,
                                maxLineBytes: stage.maxLineBytes)
      let emit = { (record: CleverRecord) throws in
        try output.write { record.appendJSON(to: &$0); $0.append(0x0A) }
      }
      var bracket = ExtractBracket()
      try reader.forEach { record in
        bracket.note(type: record.type, object: record.object, line: record.line)
        if let qs = try QSRecord(type: record.type, object: record.object) {
          try mapper.map(qs, line: record.line, emit: emit)
        } else {
          try output.write(record.raw)
          try output.write([0x0A])
        }
      }
      guard reader.recordCount > 0 || reader.skippedCount > 0 else {
        throw StageFailure(.dataError, code: MappingCode.empty.rawValue,
                           "\(source.name) holds no records; nothing to map (did the extract fail?)", place: source.name)
      }
      if let problem = bracket.problem {
        // Before finish: without its schools the partial stream cannot pass clever-csv.
        throw StageFailure(.dataError, code: MappingCode.cutShort.rawValue, problem, place: source.name)
      }
      try mapper.finish(emit: emit)
      try output.flush()
      var closing = "mapped \(mapper.summary.description)"
      if reader.skippedCount > 0 { closing += "; skipped \(reader.skippedCount) bad lines (--keep-going)" }
      runner.reporter.note(closing)
    }
  }
}

extension MappingOptions.SchoolIDSource: ExpressibleByArgument {}
