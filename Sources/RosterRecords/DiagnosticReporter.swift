#if canImport(Glibc)
  import Glibc
#endif
import RecordStream

/// Prints diagnostics to stderr as they happen and counts them.
///
/// A code that repeats is shown `limitPerCode` times, then summarised at the end
/// ("... 812 more [W_ENROLLMENT_DROPPED]"), so one systematic problem does not bury the
/// rest. Every diagnostic still goes to the machine-readable file, when there is one.
public final class DiagnosticReporter {
  public let stage: String
  private let limitPerCode: Int?
  private let machineOutput: OutputSink?
  private let colour: Bool
  private var shownPerCode: [String: Int] = [:]
  private var hiddenPerCode: [(code: String, count: Int)] = []
  private var hiddenIndex: [String: Int] = [:]
  public private(set) var errorCount = 0
  public private(set) var warningCount = 0

  /// - Parameters:
  ///   - limitPerCode: how many of one code to print; nil prints all.
  ///   - machineOutput: where to write every diagnostic as an NDJSON record.
  public init(stage: String, limitPerCode: Int? = 20, machineOutput: OutputSink? = nil) {
    self.stage = stage
    self.limitPerCode = limitPerCode
    self.machineOutput = machineOutput
    self.colour = TerminalStyle.onStandardError
  }

  public func report(_ diagnostic: Diagnostic) {
    switch diagnostic.severity {
    case .error: errorCount += 1
    case .warning: warningCount += 1
    }
    if let machineOutput {
      try? machineOutput.write { JSONWriter.append(.object(diagnostic.record), to: &$0); $0.append(0x0A) }
    }
    let shown = shownPerCode[diagnostic.code, default: 0]
    if let limitPerCode, shown >= limitPerCode {
      if let index = hiddenIndex[diagnostic.code] {
        hiddenPerCode[index].count += 1
      } else {
        hiddenIndex[diagnostic.code] = hiddenPerCode.count
        hiddenPerCode.append((diagnostic.code, 1))
      }
      return
    }
    shownPerCode[diagnostic.code] = shown + 1
    printLine(diagnostic.formatted(stage: stage), severity: diagnostic.severity)
  }

  /// Reports a failure that ends the stage.
  public func report(_ failure: StageFailure) {
    errorCount += 1
    if let machineOutput {
      var diagnostic = Diagnostic(.error, failure.code, failure.message)
      if let place = failure.place {
        // "file:line" or "file"
        if let colon = place.lastIndex(of: ":"), let line = Int(place[place.index(after: colon)...]) {
          diagnostic.file = String(place[..<colon])
          diagnostic.line = line
        } else {
          diagnostic.file = place
        }
      }
      try? machineOutput.write { JSONWriter.append(.object(diagnostic.record), to: &$0); $0.append(0x0A) }
    }
    let place = failure.place.map { $0 + ": " } ?? ""
    printLine("\(stage): \(place)error: \(failure.description)", severity: .error)
  }

  /// A plain line for people (summaries, notes): stderr, never stdout.
  public func note(_ text: String) {
    printLine("\(stage): \(text)", severity: nil)
  }

  /// Summarises what was held back and flushes the machine-readable file.
  public func finish() {
    for (code, count) in hiddenPerCode {
      note("... \(count) more [\(code)] not shown (--all shows every one)")
    }
    hiddenPerCode.removeAll()
    hiddenIndex.removeAll()
    try? machineOutput?.flush()
  }

  private func printLine(_ text: String, severity: Severity?) {
    // Messages quote input (values, file names, bodies): no control character of it
    // reaches the terminal, whichever message quoted it.
    var line = QuotedInput.escaped(text, keepingLines: true)
    if colour, let severity {
      // Paint the first " warning:" or " error:" only, as compilers do.
      let word = " \(severity.rawValue):"
      let paint = severity == .error ? "\u{1B}[1;31m" : "\u{1B}[1;35m"
      if let index = line.firstRange(of: word) {
        line.replaceSubrange(index, with: " " + paint + word.dropFirst() + "\u{1B}[0m")
      }
    }
    line += "\n"
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { raw in
      var offset = 0
      while offset < raw.count {
        let count = SystemCall.write(2, raw.baseAddress! + offset, raw.count - offset)
        if count <= 0 { return }
        offset += count
      }
    }
  }
}
