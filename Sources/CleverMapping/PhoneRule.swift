import CleverFormat

/// Which of a guardian's numbers becomes `Contact_phone` (mapping-rules.md): Home, then
/// Cell, then Business [required]; each cleaned to digits, and one that is still not 10
/// or 11 digits is passed over [ours], since Clever would skip the whole student row.
public enum PhoneRule {
  public struct Choice: Sendable, Equatable {
    public var phone = ""
    /// `Home`, `Cell` or `Work`; "" when no number was usable.
    public var phoneType = ""
    /// Numbers on file that could not be used: (which, as written).
    public var rejected: [(kind: String, raw: String)] = []

    public static func == (a: Choice, b: Choice) -> Bool {
      a.phone == b.phone && a.phoneType == b.phoneType && a.rejected.map(\.kind) == b.rejected.map(\.kind)
        && a.rejected.map(\.raw) == b.rejected.map(\.raw)
    }
  }

  /// The order of precedence, with the Clever phone type each one gets.
  public static let precedence = [("Home Phone", "Home"), ("Cell Phone", "Cell"), ("Business Phone", "Work")]

  public static func choose(home: String, cell: String, business: String) -> Choice {
    var choice = Choice()
    for ((kind, phoneType), raw) in zip(precedence, [home, cell, business]) {
      if raw.trimmingASCIISpaces().isEmpty { continue }
      if let digits = digits(raw) {
        choice.phone = digits
        choice.phoneType = phoneType
        return choice
      }
      choice.rejected.append((kind, raw))
    }
    return choice
  }

  /// The number with spaces and punctuation removed, if that leaves 10 or 11 digits
  /// and nothing else ("555-1234 ext. 5" is not a number Clever can take).
  public static func digits(_ raw: String) -> String? {
    var digits: [UInt8] = []
    for byte in raw.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
      case 0x20, 0x09, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "+"), UInt8(ascii: "/"):
        continue
      default: return nil
      }
    }
    return digits.count == 10 || digits.count == 11 ? String(decoding: digits, as: UTF8.self) : nil
  }
}
