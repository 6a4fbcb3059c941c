import RecordStream

/// The `extract` records that bracket each extract (roster-records(5)): qs-extract
/// writes `{"type":"extract","status":"started",...}` first and the matching
/// `"complete"` only when every school was read whole. A stream may hold several
/// extracts (schools exported one by one and concatenated); each `started` must be
/// closed by a `complete` of the same extract, wherever the two stand in the stream
/// (a `jq` between the stages may add or drop lines around them). A stream with an
/// extract left open was cut short: turned into files, it would hand Clever a partial
/// roster, and Clever deletes what a roster leaves out.
public struct ExtractBracket: Sendable {
  /// The extracts opened and not yet closed, by identity, with the lines they began on.
  private var open: [String: [Int]] = [:]
  /// A `complete` with no `started` before it: the head of the stream is missing.
  private var orphan: (line: Int, what: String)?
  public private(set) var extracts = 0

  public init() {}

  /// An extract's identity: its `source` and `schools`. The same school extracted twice
  /// gives two identical brackets; each `started` still needs a `complete` of its own.
  static func identity(_ record: ExtractRecord) -> (key: String, what: String) {
    let what = "the extract of " + (record.schools.isEmpty ? "no named school" : record.schools.joined(separator: ", "))
      + (record.source.isEmpty ? "" : " (\(record.source))")
    return ("source:\(record.source)\u{0}" + record.schools.joined(separator: "\u{0}"), what)
  }

  public mutating func note(type: String, object: JSONObject, line: Int) {
    guard type == ExtractRecord.type else { return }
    let record = ExtractRecord(object: object)
    let (key, what) = Self.identity(record)
    switch record.status {
    case .started?:
      open[key, default: []].append(line)
      extracts += 1
    case .complete?:
      if var lines = open[key], !lines.isEmpty {
        lines.removeLast()
        open[key] = lines.isEmpty ? nil : lines
      } else if orphan == nil {
        orphan = (line, what)
      }
    case nil: break
    }
  }

  /// Why the stream must not be taken as whole, or nil.
  public var problem: String? {
    let unclosed = open.values.flatMap { $0 }.sorted()
    if let first = unclosed.first {
      let more = unclosed.count > 1 ? " (and \(unclosed.count - 1) more, from line \(unclosed[1]))" : ""
      return "the extract that began on line \(first)\(more) never finished (no matching \"complete\" extract record): "
        + "qs-extract failed part way or the stream was cut; nothing is taken as if it were the whole roster"
    }
    if let orphan {
      return "line \(orphan.line) closes \(orphan.what), which never began in this stream (no \"started\" "
        + "extract record before it): the head of the stream is missing"
    }
    return nil
  }
}
