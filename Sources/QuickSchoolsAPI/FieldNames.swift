/// The user's own spellings of the API's fields (`--field student.classId=gradeLevelId`,
/// the profile's `fields`), tried before APIFields' names: a field the API spells in a way
/// no public client shows is mapped without a rebuild.
public struct FieldNames: Sendable, Equatable {
  /// The objects whose fields can be named, with their tables.
  static let tables: [(what: String, fields: [APIField])] = [
    ("school", APIFields.school), ("class", APIFields.gradeLevel), ("semester", APIFields.semester),
    ("teacher", APIFields.teacher), ("student", APIFields.student), ("guardian", APIFields.guardian),
    ("section", APIFields.section),
  ]

  private var extra: [String: [String]] = [:]

  public init() {}

  /// Adds `WHAT.KEY=NAME`; the reason when it names no field.
  public mutating func add(_ text: String) -> String? {
    guard let equals = text.firstIndex(of: "=") else { return "give WHAT.KEY=NAME, e.g. student.classId=gradeLevelId" }
    let target = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
    let name = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
    let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
    guard parts.count == 2, !name.isEmpty else { return "give WHAT.KEY=NAME, e.g. student.classId=gradeLevelId" }
    guard let table = Self.tables.first(where: { $0.what == parts[0] }) else {
      return "\(parts[0]) is not one of \(Self.tables.map(\.what).joined(separator: ", "))"
    }
    guard table.fields.contains(where: { $0.key == parts[1] }) else {
      return "\(parts[0]) has no field \(parts[1]); its fields: \(table.fields.map(\.key).joined(separator: ", "))"
    }
    extra[target, default: []].append(name)
    return nil
  }

  /// The user's names for the fields of `what` (so `fields=` can ask for them).
  func own(_ what: String) -> [String] {
    extra.filter { $0.key.hasPrefix(what + ".") }.sorted { $0.key < $1.key }.flatMap(\.value)
  }

  /// The names to look for, the user's first.
  func names(_ what: String, _ field: APIField) -> [String] {
    // Every field of every record asks: without --field, no key is built.
    guard !extra.isEmpty, let own = extra["\(what).\(field.key)"] else { return field.names }
    return own + field.names.filter { !own.contains($0) }
  }
}
