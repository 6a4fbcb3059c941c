import CleverFormat

/// Every record type of the stream (roster-records(5)) with its keys, as the types
/// here encode and decode them: the manual is tested against this table.
public enum RecordTypes {
  public static let all: [String: [String]] = {
    var types = QSRecord.keys
    for file in CleverFile.allCases {
      let own = file.columns.filter { !$0.isContact }.map(\.name)
      types[file.recordType] = own + (file == .students ? ["contacts"] : [])
    }
    types[ExtractRecord.type] = ExtractRecord.keys
    types[ValidationRecord.type] = ValidationRecord.keys
    types[FileRecord.type] = FileRecord.keys
    types[UploadRecord.type] = UploadRecord.keys
    types[Diagnostic.type] = Diagnostic.keys
    return types
  }()

  /// The keys of a student's contact object.
  public static let contactKeys = CleverSpec.contactColumns.map(\.name)
}
