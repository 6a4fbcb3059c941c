import RecordStream

/// qs-extract opens its stream with `{"type": "extract", "status": "started"}` and
/// closes it with `"status": "complete"` only when every school was read whole. A stream
/// that was opened and never closed was cut short: mapping it would hand Clever a
/// partial roster, and Clever deletes what a roster leaves out.
public struct ExtractBracket {
  private var openedAt: Int?
  private var closed = false

  public init() {}

  public mutating func note(type: String, object: JSONObject, line: Int) {
    guard type == "extract" else { return }
    switch object["status"] {
    case .string("started")?: if openedAt == nil { openedAt = line }
    case .string("complete")?: closed = true
    default: break
    }
  }

  /// Why the stream must not be taken as whole, or nil.
  public var problem: String? {
    guard let openedAt, !closed else { return nil }
    return "the extract that began on line \(openedAt) never finished (no \"complete\" extract record): "
      + "qs-extract failed part way; nothing is mapped as if it were the whole roster"
  }
}
