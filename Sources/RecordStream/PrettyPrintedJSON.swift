/// Recognises a line that is one piece of a JSON value spread over several lines, as
/// `jq` without `-c` and most editors write it, so that the error can say the stream
/// takes one JSON object per line rather than only what the parser tripped on.
public enum PrettyPrintedJSON {
  /// What to add to the error of a line that `looksLikePart(_:)`.
  public static let advice =
    "this looks like pretty-printed JSON, but the stream takes one JSON object per line (use jq -c)"

  /// Whether a line that is not valid JSON on its own looks like a piece of a larger
  /// value: it opens an object or array it does not close (`{`, `"a": [`), ends with a
  /// comma, closes one it did not open (`}`, `],`), or is a member (`"type": "qs.school"`).
  /// Only asked about a line the parser refused.
  public static func looksLikePart(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
    guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) })
    else { return false }
    switch line[first] {
    case UInt8(ascii: "}"), UInt8(ascii: "]"): return true
    case UInt8(ascii: "\""): if isMember(line, from: first) { return true }
    default: break
    }
    switch line[last] {
    case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: ","): return true
    default: return false
    }
  }

  /// A quoted key followed by a colon: `"type": ...`.
  private static func isMember(_ line: UnsafeBufferPointer<UInt8>, from open: Int) -> Bool {
    var i = open + 1
    while i < line.count, line[i] != UInt8(ascii: "\"") {
      i += line[i] == UInt8(ascii: "\\") ? 2 : 1
    }
    i += 1
    while i < line.count, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
    return i < line.count && line[i] == UInt8(ascii: ":")
  }
}
