/// Clever's value formats as predicates (clever-format.md section 6), shared by the
/// mapper (which cleans values) and the validator (which reports them).
public enum FormatCheck {
  /// `local@domain.tld`: one `@`, a dot inside the domain, no spaces.
  /// Checked on UTF-8 bytes: it runs for every email of every record.
  public static func isEmail(_ value: String) -> Bool {
    let bytes = Array(value.utf8)
    guard !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }),
      let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0,
      !bytes[(at + 1)...].contains(UInt8(ascii: "@"))
    else { return false }
    let domain = bytes[(at + 1)...]
    guard domain.first != UInt8(ascii: "."), let dot = domain.lastIndex(of: UInt8(ascii: ".")),
      dot != domain.startIndex, dot != domain.endIndex - 1,
      !zip(domain, domain.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") })
    else { return false }
    return true
  }

  /// `MM/DD/YYYY`, and a day that exists.
  public static func isDate(_ value: String) -> Bool {
    let parts = value.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
      let month = Int(parts[0]), let day = Int(parts[1]), let year = Int(parts[2]),
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
    else { return false }
    return isCalendarDate(year: year, month: month, day: day)
  }

  public static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
    guard year >= 1, (1...12).contains(month), day >= 1 else { return false }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= lengths[month - 1]
  }

  /// Only ASCII digits, and one of the allowed counts.
  public static func isDigits(_ value: String, counts: [Int]) -> Bool {
    counts.contains(value.utf8.count) && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }
}
