/// Clever's grade values (clever-format.md section 5), in school order.
public enum CleverGrade: String, CaseIterable, Sendable, Comparable {
  case infantToddler = "InfantToddler"
  case preschool = "Preschool"
  case preKindergarten = "PreKindergarten"
  case transitionalKindergarten = "TransitionalKindergarten"
  case kindergarten = "Kindergarten"
  case g1 = "1", g2 = "2", g3 = "3", g4 = "4", g5 = "5", g6 = "6", g7 = "7"
  case g8 = "8", g9 = "9", g10 = "10", g11 = "11", g12 = "12", g13 = "13"
  case postGraduate = "PostGraduate"
  case ungraded = "Ungraded"
  /// Not in the upload spec, but what Clever's API and the old integration use for a
  /// grade that cannot be expressed (clever-format.md, Decision in section 5).
  case other = "Other"

  /// The value written exactly, compared without regard to case or surrounding spaces.
  public init?(matching text: String) {
    if let grade = Self.byName[text] {  // most values are spelled as Clever spells them
      self = grade
      return
    }
    let key = text.trimmingASCIISpaces().lowercased()
    guard let grade = Self.byLowercasedName[key] else { return nil }
    self = grade
  }

  private static let byName: [String: CleverGrade] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

  private static let byLowercasedName: [String: CleverGrade] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.rawValue.lowercased(), $0) })

  /// The numbered grade 1...13, if it is one.
  public init?(number: Int) {
    guard (1...13).contains(number) else { return nil }
    self.init(rawValue: String(number))
  }

  /// Whether the grade has a place in the school's span (Low_grade/High_grade):
  /// `Ungraded` and `Other` do not.
  public var isOrdered: Bool { self != .ungraded && self != .other }

  private var rank: Int { Self.allCases.firstIndex(of: self)! }

  public static func < (a: CleverGrade, b: CleverGrade) -> Bool { a.rank < b.rank }
}

extension String {
  /// The string without leading and trailing spaces, tabs and line breaks (CRLF too).
  /// Works on UTF-8 bytes: it runs on every field of every record, and Character
  /// properties cost far more than a byte compare.
  public func trimmingASCIISpaces() -> String {
    let bytes = utf8
    let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    guard let first = bytes.first, let last = bytes.last else { return self }
    if !isSpace(first) && !isSpace(last) { return self }
    guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
    let end = bytes.lastIndex(where: { !isSpace($0) })!
    return String(self[start...end])
  }
}
