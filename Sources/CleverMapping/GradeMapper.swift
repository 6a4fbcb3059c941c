import CleverFormat

/// Turns a grade level's Class Abbreviation (and name) into a Clever grade
/// (mapping-rules.md, "Grade"), in this order:
/// 1. the user's own table (`--grade-map`), by abbreviation, then by class name;
/// 2. an abbreviation that is already a Clever value, in any case, spaces trimmed [required];
/// 3. unless strict, the common spellings of `GradeSpellings`, on the abbreviation, then the name;
/// 4. anything else: `Other` [required], which the caller warns about once per class.
public struct GradeMapper: Sendable {
  public enum Source: String, Sendable, Equatable {
    case userMap = "your grade map"
    case exact = "an exact Clever value"
    case spelling = "a recognised spelling"
    case unmapped = "no rule"
  }

  public let strict: Bool
  public let userMap: GradeMap

  public init(strict: Bool = false, userMap: GradeMap = GradeMap()) {
    self.strict = strict
    self.userMap = userMap
  }

  public func grade(abbreviation: String, className: String = "") -> (grade: CleverGrade, source: Source) {
    if let grade = userMap[abbreviation] ?? userMap[className] { return (grade, .userMap) }
    if let grade = CleverGrade(matching: abbreviation) { return (grade, .exact) }
    if !strict, let grade = GradeSpellings.grade(for: abbreviation) ?? GradeSpellings.grade(for: className) {
      return (grade, .spelling)
    }
    return (.other, .unmapped)
  }
}
