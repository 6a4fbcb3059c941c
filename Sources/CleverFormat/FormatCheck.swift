/// Clever's value formats as predicates (clever-format.md section 6), shared by the
/// mapper (which cleans values) and the validator (which reports them).
public enum FormatCheck {
  /// `local@domain.tld`: one `@`, a dot inside the domain, no spaces.
  /// Checked on UTF-8 bytes: it runs for every email of every record.
  public static func isEmail(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { bytes in
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
  }

  /// `MM/DD/YYYY`, and a day that exists.
  public static func isDate(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { bytes in
      guard bytes.count == 10, bytes[2] == UInt8(ascii: "/"), bytes[5] == UInt8(ascii: "/"),
        let month = number(bytes, 0..<2), let day = number(bytes, 3..<5), let year = number(bytes, 6..<10)
      else { return false }
      return isCalendarDate(year: year, month: month, day: day)
    }
  }

  /// The number written in ASCII digits at `range` of `bytes`; nil if any is not a digit.
  public static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    var result = 0
    for i in range {
      guard bytes[i] >= 0x30 && bytes[i] <= 0x39 else { return nil }
      result = result * 10 + Int(bytes[i] - 0x30)
    }
    return result
  }

  public static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
    guard year >= 1, (1...12).contains(month), day >= 1 else { return false }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let length =
      switch month {
      case 2: leap ? 29 : 28
      case 4, 6, 9, 11: 30
      default: 31
      }
    return day <= length
  }

  /// Only ASCII digits, and one of the allowed counts.
  public static func isDigits(_ value: String, counts: (Int, Int)) -> Bool {
    let count = value.utf8.count
    return (count == counts.0 || count == counts.1) && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }
}
