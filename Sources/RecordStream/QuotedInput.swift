/// Input quoted in a message for people. A terminal obeys the control characters it is
/// sent (ESC starts a sequence that can recolour, move the cursor or clear the screen;
/// NUL and BEL are not text), so a message never carries one from the input: each is
/// written as an escape, and bytes that are not text at all are only counted.
public enum QuotedInput {
  /// `text` with every control character (C0, DEL and C1) written as `\u{1b}`; with
  /// `keepingLines`, line feeds and tabs stay, for a message of several lines.
  public static func escaped(_ text: some StringProtocol, keepingLines: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0, keepingLines: keepingLines) }) else { return String(text) }
    var result = ""
    for scalar in text.unicodeScalars {
      if isControl(scalar, keepingLines: keepingLines) {
        result += escape(scalar.value)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// The start of some bytes (a body, a file) on one line, in quotes, at most `limit`
  /// bytes of it; line breaks and tabs read as spaces. Bytes that are not text (not
  /// UTF-8, a NUL, or more than a quarter control characters) are summarised: `binary data, 300 bytes`.
  public static func excerpt(_ bytes: some Collection<UInt8>, limit: Int = 120) -> String {
    if bytes.isEmpty { return "(an empty body)" }
    var head = Array(bytes.prefix(limit))
    if bytes.count > head.count {
      // A limit that cuts a character in two does not make the text binary.
      for _ in 0..<3 where String(validating: head, as: UTF8.self) == nil { head.removeLast() }
    }
    guard !head.contains(0), let text = String(validating: head, as: UTF8.self),
      text.unicodeScalars.filter({ isControl($0, keepingLines: true) }).count * 4 <= text.unicodeScalars.count
    else { return binary(bytes.count) }
    var flat = String.UnicodeScalarView()
    for scalar in text.unicodeScalars { flat.append(scalar == "\n" || scalar == "\r" || scalar == "\t" ? " " : scalar) }
    return "\"\(escaped(String(flat)))\(bytes.count > head.count ? "..." : "")\""
  }

  private static func binary(_ count: Int) -> String { "binary data, \(count) byte\(count == 1 ? "" : "s")" }

  private static func isControl(_ scalar: Unicode.Scalar, keepingLines: Bool) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: !keepingLines
    case 0x00..<0x20, 0x7F..<0xA0: true
    default: false
    }
  }

  private static func escape(_ value: UInt32) -> String { "\\u{\(String(value, radix: 16))}" }
}
