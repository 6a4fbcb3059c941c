import CleverFormat
import RecordStream

/// One contact of a student: a value for each of `CleverSpec.contactColumns`, in that
/// order, "" when empty. An array, not a dictionary keyed by column name: every stage
/// reads every contact of every student, and hashing the names cost more than the rest.
public struct CleverContact: Equatable, Sendable, ExpressibleByDictionaryLiteral {
  public private(set) var values: [String]

  public init() {
    values = Array(repeating: "", count: CleverSpec.contactColumns.count)
  }

  /// A contact from column names and values: `["Contact_name": "Ana Ruiz"]`.
  public init(dictionaryLiteral elements: (String, String)...) {
    self.init()
    for (name, value) in elements { values[Self.position(of: name)] = value }
  }

  /// The value of a `Contact_*` column; naming another column is a programming error.
  public subscript(_ column: ColumnName) -> String {
    get { values[Self.position(of: column.text)] }
    set { values[Self.position(of: column.text)] = newValue }
  }

  /// The value at `position` in `CleverSpec.contactColumns`.
  public subscript(position position: Int) -> String {
    get { values[position] }
    set { values[position] = newValue }
  }

  /// No column has a value.
  public var isEmpty: Bool { values.allSatisfy(\.isEmpty) }

  /// The position of a `Contact_*` column, or nil for any other name.
  public static func position(ofColumn name: String) -> Int? {
    positions.position(of: name)
  }

  public static func position(ofColumn name: UnsafeBufferPointer<UInt8>) -> Int? {
    positions.position(of: name)
  }

  private static let positions = NameTable(CleverSpec.contactColumns.map(\.name))

  private static func position(of name: String) -> Int {
    guard let position = position(ofColumn: name) else { preconditionFailure("\(name) is not a contact column") }
    return position
  }
}
