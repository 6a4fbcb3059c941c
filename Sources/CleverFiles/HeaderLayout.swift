import CleverFormat
import RosterRecords

/// Which field of a CSV row goes to which Clever column, from the header row.
///
/// Headers match Clever's column names without regard to case or surrounding spaces,
/// in any order, as Clever reads them (clever-format.md section 2).
public struct HeaderLayout: Sendable {
  public let file: CleverFile
  /// The number of fields in the header (every row must have as many).
  public let width: Int
  /// Columns that are neither Clever's nor accepted extension columns.
  public let unknownColumns: [String]
  /// Columns that appear more than once (the first one is used).
  public let duplicateColumns: [String]
  /// Required columns the header lacks (contact columns are required only with a contact).
  public let missingColumns: [String]
  /// Columns Clever's document requires but Clever does without (CleverColumn.documented).
  public let missingDocumentedColumns: [String]
  /// For each field: the position of its column in `file.columns`, or nil.
  private let columnIndexes: [Int?]
  private let extensionFields: [(field: Int, name: String)]
  private let contactFields: [(field: Int, position: Int)]

  public init(file: CleverFile, header: [String]) {
    self.file = file
    self.width = header.count
    var byLowercased: [String: Int] = [:]
    for (index, column) in file.columns.enumerated() { byLowercased[column.name.lowercased()] = index }
    var indexes: [Int?] = []
    var extensions: [(Int, String)] = []
    var contacts: [(Int, Int)] = []
    var unknown: [String] = []
    var duplicates: [String] = []
    var seen = Set<String>()
    for (field, rawName) in header.enumerated() {
      let name = rawName.trimmingASCIISpaces()
      guard seen.insert(name.lowercased()).inserted else {
        duplicates.append(name)
        indexes.append(nil)
        continue
      }
      let index = byLowercased[name.lowercased()]
      if let index, file.columns[index].isContact {
        contacts.append((field, CleverContact.position(ofColumn: file.columns[index].name)!))
        indexes.append(nil)
      } else if let index {
        indexes.append(index)
      } else {
        indexes.append(nil)
        if name.lowercased().hasPrefix("ext."), name.count > 4, file.acceptsExtensions {
          extensions.append((field, name))
        } else {
          unknown.append(name)
        }
      }
    }
    self.columnIndexes = indexes
    self.extensionFields = extensions
    self.contactFields = contacts
    self.unknownColumns = unknown
    self.duplicateColumns = duplicates
    self.missingColumns = file.columns.filter { $0.requirement == .required && !seen.contains($0.name.lowercased()) }
      .map(\.name)
    self.missingDocumentedColumns = file.columns
      .filter { $0.requirement == .documented && !seen.contains($0.name.lowercased()) }.map(\.name)
  }

  /// The row's Clever columns and extension columns (not its contact).
  public func record(from fields: [String]) -> CleverRecord {
    var record = CleverRecord(file)
    for (field, index) in columnIndexes.enumerated() where field < fields.count {
      if let index { record[position: index] = fields[field] }
    }
    for (field, name) in extensionFields where field < fields.count { record.setExtension(name, fields[field]) }
    return record
  }

  /// The row's contact, or nil when every contact column is empty.
  public func contact(from fields: [String]) -> CleverContact? {
    var contact = CleverContact()
    for (field, position) in contactFields where field < fields.count { contact[position: position] = fields[field] }
    return contact.isEmpty ? nil : contact
  }
}
