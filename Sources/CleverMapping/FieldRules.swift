import CleverFormat

/// The small per-field rules of mapping-rules.md, "Other fields" [ours].
public enum FieldRules {
  /// Male → M, Female → F, non-binary or X → X, anything else empty (nil: not recognised).
  public static let genders: [String: String] = [
    "male": "M", "m": "M", "female": "F", "f": "F", "nonbinary": "X", "non-binary": "X", "x": "X",
  ]

  public static func gender(_ value: String) -> String? {
    let key = value.trimmingASCIISpaces().lowercased()
    if key.isEmpty { return "" }
    return genders[key] ?? genders[key.replacingSpaces()]
  }

  /// `YYYY-MM-DD` (also with a time after it) or `MM/DD/YYYY` → `MM/DD/YYYY`; nil when
  /// the text is not a real date; "" for "".
  public static func date(_ value: String) -> String? {
    let text = value.trimmingASCIISpaces()
    if text.isEmpty { return "" }
    if FormatCheck.isDate(text) { return text }
    var copy = text
    return copy.withUTF8 { bytes -> String? in
      guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
        bytes.count == 10 || bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
        let year = FormatCheck.number(bytes, 0..<4), let month = FormatCheck.number(bytes, 5..<7),
        let day = FormatCheck.number(bytes, 8..<10), FormatCheck.isCalendarDate(year: year, month: month, day: day)
      else { return nil }
      let written = [bytes[5], bytes[6], 0x2F, bytes[8], bytes[9], 0x2F, bytes[0], bytes[1], bytes[2], bytes[3]]
      return String(decoding: written, as: UTF8.self)
    }
  }

  /// ZIP with spaces and hyphens removed, when that leaves 5 or 9 digits.
  public static func zip(_ value: String) -> String? {
    let digits = String(value.filter { $0 != " " && $0 != "-" })
    if digits.isEmpty { return "" }
    return FormatCheck.isDigits(digits, counts: (5, 9)) ? digits : nil
  }

  /// A two-letter state code, upper-cased.
  public static func state(_ value: String) -> String? {
    let text = value.trimmingASCIISpaces()
    if text.isEmpty { return "" }
    return ValueFormat.state.accepts(text) ? text.uppercased() : nil
  }

  /// An email Clever accepts, or nil.
  public static func email(_ value: String) -> String? {
    let text = value.trimmingASCIISpaces()
    if text.isEmpty { return "" }
    return FormatCheck.isEmail(text) ? text : nil
  }

  /// A section's subject when it is one of Clever's, in Clever's spelling.
  public static func subject(_ value: String) -> String? {
    let text = value.trimmingASCIISpaces()
    if text.isEmpty { return "" }
    return CleverSpec.subjects.canonical(text)
  }
}

extension String {
  fileprivate func replacingSpaces() -> String { String(filter { $0 != " " }) }
}
