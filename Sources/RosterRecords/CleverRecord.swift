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
  /// The contacts of a student, one per `students.csv` row.
  public var contacts: [CleverContact] = []

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

  /// The value at `position` in `file.columns`.
  public subscript(position position: Int) -> String {
    get { fields[position] }
    set { fields[position] = newValue }
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

  /// Writes the record as a stream line (without its newline): `type`, the non-empty
  /// columns in Clever's order, extension columns, and `contacts` for a student. Straight
  /// into the output buffer: building a JSONObject first cost a fifth of clever-map's time.
  public func appendJSON(to out: inout [UInt8]) {
    func member(_ key: String, _ value: String, first: Bool = false) {
      if !first { out.append(UInt8(ascii: ",")) }
      JSONWriter.appendString(key, to: &out)
      out.append(UInt8(ascii: ":"))
      JSONWriter.appendString(value, to: &out)
    }
    out.append(contentsOf: #"{"type":"#.utf8)
    JSONWriter.appendString(file.recordType, to: &out)
    let keys = Self.memberKeys[file.ordinal]
    for (index, (column, value)) in zip(file.columns, fields).enumerated() where !value.isEmpty && !column.isContact {
      out.append(contentsOf: keys[index])
      JSONWriter.appendString(value, to: &out)
    }
    for (name, value) in extensions { member(name, value) }
    if file == .students {
      out.append(contentsOf: #","contacts":["#.utf8)
      for (index, contact) in contacts.enumerated() {
        out.append(contentsOf: index == 0 ? "{".utf8 : ",{".utf8)
        var first = true
        for (column, value) in zip(CleverSpec.contactColumns, contact.values) where !value.isEmpty {
          member(column.name, value, first: first)
          first = false
        }
        out.append(UInt8(ascii: "}"))
      }
      out.append(UInt8(ascii: "]"))
    }
    out.append(UInt8(ascii: "}"))
  }

  /// `,"Column":` for every column of every file, written once: escaping the same names
  /// again for every record was a tenth of clever-map's output.
  private static let memberKeys: [[[UInt8]]] = CleverFile.allCases.map { file in
    file.columns.map { column in
      var key: [UInt8] = [UInt8(ascii: ",")]
      JSONWriter.appendString(column.name, to: &key)
      key.append(UInt8(ascii: ":"))
      return key
    }
  }

  /// The stream line as text.
  public var jsonLine: String {
    var out: [UInt8] = []
    appendJSON(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Reads a `clever.*` stream object. Keys that are not columns are ignored (records.md);
  /// a column whose value is not a string is an error.
  public init(object: JSONObject) throws(RecordError) {
    guard case .string(let type)? = object["type"], let file = CleverFile(recordType: type) else {
      throw RecordError("E_RECORD_TYPE", "not a Clever record type")
    }
    self.init(file)
    // One pass over the members, each value taken as it comes (a lookup by key would
    // search the members again); the last of a repeated key wins, as in JSONObject.
    for (key, value) in object.members where key != "type" && key != "contacts" {
      if let index = CleverSpec.index(of: key, in: file) {
        if !file.columns[index].isContact { fields[index] = try value.text(key) }
      } else if key.hasPrefix("ext."), file.acceptsExtensions {
        guard case .string(let text) = value else {
          throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be a string, got \(value.kindName)", field: key)
        }
        setExtension(key, text)
      }
    }
    if file == .students {
      for contact in try object.objects("contacts") {
        var entry = CleverContact()
        for (key, value) in contact.members {
          if let position = CleverContact.position(ofColumn: key) { entry[position: position] = try value.text(key) }
        }
        contacts.append(entry)
      }
    }
  }
}
