import CleverFormat
import RecordStream

/// One row's worth of a Clever file (records.md: keys are exactly Clever's column
/// names). A student's contacts are held apart, one entry per `students.csv` row.
public struct CleverRecord: Equatable, Sendable {
  public let file: CleverFile
  /// One value per column of `file.columns`, "" when empty.
  public private(set) var fields: [String]
  /// `ext.<name>` columns, in the order they were set.
  public private(set) var extensions: [(name: String, value: String)] = []
  /// The `Contact_*` values of each contact (students only).
  public var contacts: [[String: String]] = []

  public init(_ file: CleverFile) {
    self.file = file
    self.fields = Array(repeating: "", count: file.columns.count)
  }

  public static func == (a: CleverRecord, b: CleverRecord) -> Bool {
    a.file == b.file && a.fields == b.fields && a.contacts == b.contacts
      && a.extensions.map(\.name) == b.extensions.map(\.name) && a.extensions.map(\.value) == b.extensions.map(\.value)
  }

  /// The value of a column of this file, by its typed name.
  public subscript(_ column: ColumnName) -> String {
    get { self[column.text] }
    set { self[column.text] = newValue }
  }

  /// The value of a column of this file ("" when empty). Setting a name that is not a
  /// column of the file is a programming error.
  public subscript(column: String) -> String {
    get { CleverSpec.index(of: column, in: file).map { fields[$0] } ?? "" }
    set {
      guard let index = CleverSpec.index(of: column, in: file) else {
        preconditionFailure("\(column) is not a column of \(file.fileName)")
      }
      fields[index] = newValue
    }
  }

  /// Sets an `ext.<name>` column. Names are matched without regard to case, as Clever
  /// matches headers; the first spelling is kept.
  public mutating func setExtension(_ name: String, _ value: String) {
    if let index = extensions.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
      extensions[index].value = value
    } else {
      extensions.append((name, value))
    }
  }

  /// The record as a stream object: `type`, the non-empty columns in Clever's order,
  /// extension columns, and `contacts` for a student.
  public var object: JSONObject {
    var object = JSONObject([("type", .string(file.recordType))])
    for (column, value) in zip(file.columns, fields) where !value.isEmpty && !column.isContact {
      object.append(column.name, .string(value))
    }
    for (name, value) in extensions { object.append(name, .string(value)) }
    if file == .students {
      let contactColumns = CleverSpec.contactColumns
      object.append(
        "contacts",
        .array(
          contacts.map { contact in
            var entry = JSONObject()
            for column in contactColumns {
              if let value = contact[column.name], !value.isEmpty { entry.append(column.name, .string(value)) }
            }
            return .object(entry)
          }))
    }
    return object
  }

  /// Reads a `clever.*` stream object. Keys that are not columns are ignored (records.md);
  /// a column whose value is not a string is an error.
  public init(object: JSONObject) throws(RecordError) {
    guard case .string(let type)? = object["type"], let file = CleverFile(recordType: type) else {
      throw RecordError("E_RECORD_TYPE", "not a Clever record type")
    }
    self.init(file)
    for (key, value) in object where key != "type" && key != "contacts" {
      if let index = CleverSpec.index(of: key, in: file), !file.columns[index].isContact {
        fields[index] = try object.string(key)
      } else if key.hasPrefix("ext."), file.acceptsExtensions {
        guard case .string(let text) = value else {
          throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be a string, got \(value.kindName)", field: key)
        }
        setExtension(key, text)
      }
    }
    if file == .students {
      for contact in try object.objects("contacts") {
        var entry: [String: String] = [:]
        for column in CleverSpec.contactColumns {
          let value = try contact.string(column.name)
          if !value.isEmpty { entry[column.name] = value }
        }
        contacts.append(entry)
      }
    }
  }
}
