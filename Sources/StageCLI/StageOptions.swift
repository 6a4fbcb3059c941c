import ArgumentParser
import RecordStream

/// The options every stream stage shares.
public struct StageOptions: ParsableArguments {
  @Flag(name: .long, help: "Skip bad lines (reported and counted) instead of stopping with status 65.")
  public var keepGoing = false

  @Flag(name: .long, help: "Print every diagnostic; by default each code is shown 20 times, then counted.")
  public var all = false

  @Option(name: .long, help: ArgumentHelp("Also write every diagnostic as NDJSON to this file (mode 0600).", valueName: "file"))
  public var diagnostics: String?

  @Option(name: .long, help: ArgumentHelp("Longest input line accepted.", valueName: "bytes"))
  public var maxLineBytes = LineReader.defaultMaxLineBytes

  public init() {}

  public func validate() throws {
    guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024") }
  }
}
