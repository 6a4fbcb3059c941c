import CleverFormat
import RosterRecords

/// How Clever records become CSV rows: every column of the file in CleverSpec's order
/// and spelling, then the extension columns in the order first seen; a student gives one
/// row per contact, or one row with empty contact columns when it has none.
public enum CleverRows {
  public static func header(of file: CleverFile, extensions: [String]) -> [String] {
    file.columns.map(\.name) + extensions
  }

  /// Calls `body` with each row of `record`, its fields lined up with `header`.
  public static func forEachRow(of record: CleverRecord, extensions: [String], _ body: ([String]) throws -> Void) rethrows {
    var row = record.fields
    for name in extensions {
      row.append(record.extensions.first { $0.name.lowercased() == name.lowercased() }?.value ?? "")
    }
    guard record.file == .students, !record.contacts.isEmpty else {
      try body(row)
      return
    }
    for contact in record.contacts {
      for (value, index) in zip(contact.values, CleverSpec.contactColumnPositions) { row[index] = value }
      try body(row)
    }
  }
}
