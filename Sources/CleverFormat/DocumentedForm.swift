import Foundation

/// The documented form of a value that departs from Clever's format in a way Clever's own
/// demo data shows (issue 13): the value has one obvious documented equivalent, so a
/// validator reports it as a warning with that equivalent, and a normaliser may write it.
/// Values with no obvious equivalent get nil and keep their error.
public enum DocumentedForm {
  /// `value` rewritten to `format`'s documented form, when there is exactly one.
  public static func of(_ value: String, _ format: ValueFormat) -> String? {
    let trimmed = value.trimmingASCIISpaces()
    switch format {
    case .oneOf(let allowed) where allowed.name == "gender":
      return genderWords[trimmed.lowercased()]
    case .oneOf(let allowed):
      return allowed.words[trimmed.lowercased()]
    case .date:
      return date(trimmed)
    case .phone:
      return phone(trimmed)
    case .grade:
      // Clever's demo files write kindergarten as grade 0.
      return trimmed == "0" || trimmed == "00" || trimmed.lowercased() == "k" ? CleverGrade.kindergarten.rawValue : nil
    default:
      return nil
    }
  }

  static let genderWords = ["male": "M", "female": "F", "m": "M", "f": "F", "x": "X", "boy": "M", "girl": "F"]

  /// The century of a two-digit year: the latest year ending so that is not past the
  /// pivot (this year), so `98` is 1998 and `11` is 2011 in 2026. A birth date is in
  /// the past, and no student is a hundred.
  public static let pivotYear = currentYear()

  /// `M/D/YY`, `M/D/YYYY`, `MM/DD/YY`: one or two digits for month and day, two or four
  /// for the year, a real date.
  static func date(_ value: String) -> String? {
    let parts = value.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
      (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 2 || parts[2].count == 4,
      let month = Int(parts[0]), let day = Int(parts[1]), var year = Int(parts[2])
    else { return nil }
    if parts[2].count == 2 {
      let century = pivotYear / 100 * 100
      year += century
      if year > pivotYear { year -= 100 }
    }
    guard FormatCheck.isCalendarDate(year: year, month: month, day: day) else { return nil }
    let written = pad(month) + "/" + pad(day) + "/" + String(year)
    return written == value ? nil : written
  }

  /// Digits written with punctuation, spaces or an extension: `(336)533-1632 x218`,
  /// `336.533.1632`, `+1 336 533 1632`. The extension is left out: Clever has no place
  /// for one.
  static func phone(_ value: String) -> String? {
    var main = Substring(value)
    if let x = value.lowercased().range(of: #"\s*(x|ext\.?|extension)\s*\d+$"#, options: .regularExpression) {
      main = value[..<x.lowerBound]
    }
    guard main.allSatisfy({ $0.isASCII && ($0.isNumber || " ()-.+".contains($0)) }) else { return nil }
    let digits = String(main.filter(\.isNumber))
    guard digits.count == 10 || digits.count == 11, digits != value else { return nil }
    return digits
  }

  private static func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }

  private static func currentYear() -> Int {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    return Int(parts.tm_year) + 1900
  }
}
