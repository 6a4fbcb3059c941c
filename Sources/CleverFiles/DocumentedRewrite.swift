import CleverFormat
import RosterRecords

/// Rewrites a record's values that have one obvious documented form into that form
/// (DocumentedForm), for `clever-csv read --normalize`; values without one stay as they
/// are, with their warning. Every change is returned, so the caller can say where.
public enum DocumentedRewrite {
  public struct Change: Sendable, Equatable {
    public let column: String
    public let old: String
    public let new: String

    /// `Gender "female" -> "F"`.
    public var description: String { "\(column) \"\(old)\" -> \"\(new)\"" }
  }

  /// Rewrites the record's own columns (not its contacts).
  public static func ownColumns(_ record: inout CleverRecord) -> [Change] {
    var changes: [Change] = []
    for (column, value) in zip(record.file.columns, record.fields) where !column.isContact && !value.isEmpty {
      guard !column.format.accepts(value), let documented = DocumentedForm.of(value, column.format) else { continue }
      record[column.name] = documented
      changes.append(Change(column: column.name, old: value, new: documented))
    }
    return changes
  }

  /// Rewrites one contact's columns.
  public static func contact(_ contact: inout CleverContact) -> [Change] {
    var changes: [Change] = []
    for (position, column) in CleverSpec.contactColumns.enumerated() {
      let value = contact[position: position]
      guard !value.isEmpty, !column.format.accepts(value), let documented = DocumentedForm.of(value, column.format)
      else { continue }
      contact[position: position] = documented
      changes.append(Change(column: column.name, old: value, new: documented))
    }
    return changes
  }
}
