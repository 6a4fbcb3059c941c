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
    let day = text.prefix(10)
    let parts = day.split(separator: "-", omittingEmptySubsequences: false)
    guard day.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      text.count == 10 || text.dropFirst(10).first == "T" || text.dropFirst(10).first == " ",
      let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
      FormatCheck.isCalendarDate(year: year, month: month, day: dayOfMonth)
    else { return nil }
    return "\(parts[1])/\(parts[2])/\(parts[0])"
  }

  /// ZIP with spaces and hyphens removed, when that leaves 5 or 9 digits.
  public static func zip(_ value: String) -> String? {
    let digits = String(value.filter { $0 != " " && $0 != "-" })
    if digits.isEmpty { return "" }
    return FormatCheck.isDigits(digits, counts: [5, 9]) ? digits : nil
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
