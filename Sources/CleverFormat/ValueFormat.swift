/// The shape of a column's values (clever-format.md sections 4 to 6).
public enum ValueFormat: Sendable, Equatable {
  case text
  /// A grade value; `allowsRange` accepts `9-13`, which Clever reads as its lower bound.
  case grade(allowsRange: Bool)
  case email
  /// `MM/DD/YYYY`, a real calendar date. `birth` says the date is in the past, which
  /// decides the century of a two-digit year when a value is rewritten (DocumentedForm).
  case date(birth: Bool)
  /// 10 or 11 digits, nothing else.
  case phone
  /// 5 or 9 digits, nothing else.
  case zip
  /// Two letters.
  case state
  /// One of a fixed list, compared without regard to case.
  case oneOf(AllowedValues)

  public func accepts(_ value: String) -> Bool {
    switch self {
    case .text: true
    case .grade(let allowsRange):
      if CleverGrade(matching: value) != nil { true }
      else if allowsRange, let dash = value.firstIndex(of: "-"), dash != value.startIndex {
        CleverGrade(matching: String(value[..<dash])) != nil
          && CleverGrade(matching: String(value[value.index(after: dash)...])) != nil
      } else { false }
    case .email: FormatCheck.isEmail(value)
    case .date: FormatCheck.isDate(value)
    case .phone: FormatCheck.isDigits(value, counts: (10, 11))
    case .zip: FormatCheck.isDigits(value, counts: (5, 9))
    case .state: value.utf8.count == 2 && value.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
    case .oneOf(let allowed): allowed.canonical(value) != nil
    }
  }
}

/// A named list of allowed values. A class, so that a column's format is one reference:
/// the validator copies every column's format for every row, and a struct of four
/// collections cost four retains and releases each time.
public final class AllowedValues: Sendable, Equatable {
  public let name: String
  public let values: [String]
  /// Other spellings Clever accepts for a value (staff role `STL`), lower-cased.
  public let aliases: [String: String]
  /// Words other tools and Clever's own demo files write, lower-cased, with the one
  /// documented value each obviously means (`female` is `F`, `Mother` is `Parent`): a
  /// warning that says what to write, and what `clever-csv read --normalize` writes.
  public let words: [String: String]

  public init(_ name: String, _ values: [String], aliases: [String: String] = [:], words: [String: String] = [:]) {
    self.name = name
    self.values = values
    self.aliases = aliases
    self.words = words
    var lookup = aliases
    for value in values {
      lookup[value.lowercased()] = value
      lookup[value] = value  // as Clever spells it, found without lower-casing
    }
    self.byLowercased = lookup
  }

  public static func == (a: AllowedValues, b: AllowedValues) -> Bool {
    a === b || (a.name == b.name && a.values == b.values && a.aliases == b.aliases && a.words == b.words)
  }

  /// Every spelling Clever takes, lower-cased and as Clever spells it, with the value it
  /// stands for: one lookup per field, not a scan of 152 languages.
  private let byLowercased: [String: String]

  /// The value as Clever spells it, when `value` is one of the list in any case.
  public func canonical(_ value: String) -> String? {
    if let match = byLowercased[value] { return match }
    return byLowercased[value.lowercased()]
  }
}
