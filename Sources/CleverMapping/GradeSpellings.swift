import CleverFormat

/// The common ways schools write a grade level that Clever does not accept as is
/// (mapping-rules.md, Grade, rule 2 [ours]). Off in strict mode.
public enum GradeSpellings {
  /// Words, compared after `squash` (lower case; spaces, hyphens, dots and underscores removed).
  public static let words: [String: CleverGrade] = [
    "k": .kindergarten, "kg": .kindergarten, "kn": .kindergarten, "kinder": .kindergarten,
    "kindergarten": .kindergarten,
    "pk": .preKindergarten, "prek": .preKindergarten, "prekindergarten": .preKindergarten,
    "tk": .transitionalKindergarten, "transitionalkindergarten": .transitionalKindergarten,
    "ps": .preschool, "preschool": .preschool,
    "it": .infantToddler, "infant": .infantToddler, "toddler": .infantToddler, "infanttoddler": .infantToddler,
    "pg": .postGraduate, "postgraduate": .postGraduate,
    "ug": .ungraded, "ungraded": .ungraded,
  ]

  /// Ordinal words for 1 to 13 ("First", "Fifth Grade").
  public static let ordinals = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth",
  ]

  public static func grade(for text: String) -> CleverGrade? {
    let trimmed = text.trimmingASCIISpaces()
    guard !trimmed.isEmpty else { return nil }
    // Plain numbers: -1 is pre-kindergarten, 0 kindergarten, 01 is 1 (checked before
    // squashing, which would turn "-1" into "1").
    if let number = Int(trimmed) {
      switch number {
      case -1: return .preKindergarten
      case 0: return .kindergarten
      default: return CleverGrade(number: number)
      }
    }
    let key = squash(trimmed)
    if let grade = words[key] { return grade }
    // One number at most: squashing "1-2" or "1.1" must not read as 12 or 11.
    guard digitRuns(trimmed) <= 1 else { return nil }
    return numbered(key)
  }

  /// Lower case, without spaces, hyphens, dots and underscores: "Pre-K" and "pre k" match.
  public static func squash(_ text: String) -> String {
    String(text.lowercased().filter { $0 != " " && $0 != "-" && $0 != "." && $0 != "_" && $0 != "\t" })
  }

  static func digitRuns(_ text: String) -> Int {
    var runs = 0
    var inRun = false
    for character in text {
      let isDigit = character.isASCII && character.isNumber
      if isDigit && !inRun { runs += 1 }
      inRun = isDigit
    }
    return runs
  }

  /// `1st`, `Grade 1`, `Gr 1`, `G1`, `1st Grade`, `First`, `First Grade` (squashed).
  static func numbered(_ key: String) -> CleverGrade? {
    var rest = Substring(key)
    for suffix in ["grade", "gr"] where rest.hasSuffix(suffix) && rest.count > suffix.count {
      rest = rest.dropLast(suffix.count)
      break
    }
    if let index = ordinals.firstIndex(of: String(rest)) { return CleverGrade(number: index + 1) }
    for prefix in ["grade", "gr", "g"] where rest.hasPrefix(prefix) {
      rest = rest.dropFirst(prefix.count)
      break
    }
    for suffix in ["st", "nd", "rd", "th"] where rest.hasSuffix(suffix) {
      rest = rest.dropLast(suffix.count)
      break
    }
    guard !rest.isEmpty, rest.count <= 2, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber),
      let number = Int(rest)
    else { return nil }
    return CleverGrade(number: number)
  }
}
