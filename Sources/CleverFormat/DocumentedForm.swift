#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The documented form of a value that departs from Clever's format in a way other
/// tools and Clever's own demo data write (issue 13): when the value has exactly one
/// obvious documented equivalent, a validator says to write it (W_FORMAT) and
/// `clever-csv read --normalize` writes it. Values with no obvious equivalent get nil.
public enum DocumentedForm {
  /// `value` rewritten to `format`'s documented form, when there is exactly one.
  public static func of(_ value: String, _ format: ValueFormat) -> String? {
    let trimmed = value.trimmingASCIISpaces()
    switch format {
    case .oneOf(let allowed):
      return allowed.words[trimmed.lowercased()] ?? (trimmed != value ? allowed.canonical(trimmed) : nil)
    case .date(let birth):
      return date(trimmed, birth: birth)
    case .phone:
      return phone(trimmed)
    case .grade:
      // Clever's demo files write kindergarten as grade 0.
      return trimmed == "0" || trimmed == "00" || trimmed.lowercased() == "k" ? CleverGrade.kindergarten.rawValue : nil
    default:
      return nil
    }
  }

  /// The year the century rule counts from: this year.
  public static let currentYear = yearNow()

  /// The century of a two-digit year. A birth date is in the past: the latest such year
  /// not after this one (`98` is 1998, `11` is 2011, `27` is 1927 in 2026). Another
  /// date (a term's start or end) is the such year nearest this one (`27` is 2027).
  public static func fullYear(_ twoDigits: Int, birth: Bool) -> Int {
    let century = currentYear / 100 * 100
    let candidates = [century - 100 + twoDigits, century + twoDigits, century + 100 + twoDigits]
    if birth { return candidates.last { $0 <= currentYear }! }
    return candidates.min { abs($0 - currentYear) < abs($1 - currentYear) }!
  }

  /// `M/D/YY`, `M/D/YYYY`, `MM/DD/YY`: one or two digits for month and day, two or four
  /// for the year, a real date.
  static func date(_ value: String, birth: Bool) -> String? {
    let parts = value.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
      (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 2 || parts[2].count == 4,
      let month = Int(parts[0]), let day = Int(parts[1]), var year = Int(parts[2])
    else { return nil }
    if parts[2].count == 2 { year = fullYear(year, birth: birth) }
    guard FormatCheck.isCalendarDate(year: year, month: month, day: day) else { return nil }
    let written = pad(month) + "/" + pad(day) + "/" + String(year)
    return written == value ? nil : written
  }

  /// Digits written with punctuation, spaces or an extension: `(336)533-1632 x218`,
  /// `336.533.1632`, `+1 336 533 1632`. The extension is left out: Clever has no place
  /// for one.
  static func phone(_ value: String) -> String? {
    let main = withoutExtension(value)
    guard main.allSatisfy({ $0.isASCII && ($0.isNumber || " ()-.+".contains($0)) }) else { return nil }
    let digits = String(main.filter(\.isNumber))
    guard digits.count == 10 || digits.count == 11, digits != value else { return nil }
    return digits
  }

  /// `value` without a trailing extension: spaces, `x`, `ext`, `ext.` or `extension` (in
  /// any case), spaces, digits. Written out, not a regular expression, so that this
  /// module needs no Foundation: every stage links it, and Foundation's start-up cost
  /// more than a small school's whole run.
  static func withoutExtension(_ value: String) -> Substring {
    var rest = Substring(value)
    let digits = rest.reversed().prefix { $0.isASCII && $0.isNumber }.count
    guard digits > 0 else { return rest }
    rest = rest.dropLast(digits)
    rest = rest.dropLast(rest.reversed().prefix(while: \.isWhitespace).count)
    let lowered = rest.lowercased()
    guard let word = ["extension", "ext.", "ext", "x"].first(where: lowered.hasSuffix) else { return Substring(value) }
    rest = rest.dropLast(word.count)
    return rest.dropLast(rest.reversed().prefix(while: \.isWhitespace).count)
  }

  private static func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }

  private static func yearNow() -> Int {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    return Int(parts.tm_year) + 1900
  }
}
