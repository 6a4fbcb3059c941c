import RecordStream

/// Lookups over the spec table that every record access uses.
extension CleverSpec {
  /// Column positions by name, one table per file in `CleverFile.allCases` order (an
  /// array, not a dictionary keyed by file: this runs for every field of every record).
  private static let indexes: [NameTable] = CleverFile.allCases.map { NameTable(columns(of: $0).map(\.name)) }

  /// The position of `column` in `file`'s columns, by exact spelling.
  public static func index(of column: String, in file: CleverFile) -> Int? {
    indexes[file.ordinal].position(of: column)
  }

  /// The same, for a name's UTF-8 bytes (a key read straight from a stream line).
  public static func index(of column: UnsafeBufferPointer<UInt8>, in file: CleverFile) -> Int? {
    indexes[file.ordinal].position(of: column)
  }

  /// The `Contact_*` columns of students.csv.
  public static let contactColumns = columns(of: .students).filter(\.isContact)

  /// Where each of `contactColumns` stands in students.csv.
  public static let contactColumnPositions = contactColumns.map { index(of: $0.name, in: .students)! }
}
