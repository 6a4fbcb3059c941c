import CleverFormat
import RecordStream

/// A user's own grade table (`--grade-map FILE`), which wins over every other rule.
///
/// The file is plain text, one mapping a line: `FROM = TO`, where FROM is a Class
/// Abbreviation or class name (compared without regard to case or surrounding spaces)
/// and TO a Clever grade value. `#` starts a comment; blank lines are ignored.
public struct GradeMap: Sendable, Equatable {
  private var entries: [String: CleverGrade] = [:]

  public init() {}

  public init(entries: [String: CleverGrade]) {
    for (key, grade) in entries { self.entries[Self.key(key)] = grade }
  }

  public var isEmpty: Bool { entries.isEmpty }

  public subscript(text: String) -> CleverGrade? {
    let key = Self.key(text)
    return key.isEmpty ? nil : entries[key]
  }

  private static func key(_ text: String) -> String { text.trimmingASCIISpaces().lowercased() }

  /// Parses the file's text; errors name the file and line (exit status 78).
  public init(parsing text: String, fileName: String) throws(StageFailure) {
    for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let place = "\(fileName):\(offset + 1)"
      var line = Substring(rawLine)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      let content = String(line).trimmingASCIISpaces()
      if content.isEmpty { continue }
      guard let equals = content.firstIndex(of: "=") else {
        throw StageFailure(.configuration, code: "E_GRADE_MAP", "expected 'FROM = TO', got \"\(content)\"", place: place)
      }
      let from = String(content[..<equals]).trimmingASCIISpaces()
      let to = String(content[content.index(after: equals)...]).trimmingASCIISpaces()
      guard !from.isEmpty else {
        throw StageFailure(.configuration, code: "E_GRADE_MAP", "nothing before '='", place: place)
      }
      guard let grade = CleverGrade(matching: to) else {
        let allowed = CleverGrade.allCases.map(\.rawValue).joined(separator: ", ")
        throw StageFailure(
          .configuration, code: "E_GRADE_MAP", "\"\(to)\" is not a Clever grade (allowed: \(allowed))", place: place)
      }
      if let earlier = entries[Self.key(from)], earlier != grade {
        throw StageFailure(
          .configuration, code: "E_GRADE_MAP", "\"\(from)\" is mapped twice (\(earlier.rawValue) and \(grade.rawValue))",
          place: place)
      }
      entries[Self.key(from)] = grade
    }
  }
}
