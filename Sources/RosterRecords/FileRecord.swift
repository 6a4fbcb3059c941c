import RecordStream

/// A file `clever-csv write` put in place (roster-records(5)); sftp-put uploads the
/// files these name, and clever-sync checks a held set against their digests.
public struct FileRecord: Sendable, Equatable {
  public static let type = "file"
  public static let keys = ["name", "path", "rows", "bytes", "sha256"]

  /// The file's name in the set (`students.csv`).
  public var name: String
  public var path: String
  public var rows: Int
  public var bytes: Int
  /// Lower-case hexadecimal SHA-256 of the file's bytes.
  public var sha256: String

  public init(name: String, path: String, rows: Int, bytes: Int, sha256: String) {
    self.name = name
    self.path = path
    self.rows = rows
    self.bytes = bytes
    self.sha256 = sha256
  }

  public var object: JSONObject {
    JSONObject([
      ("type", .string(Self.type)), ("name", .string(name)), ("path", .string(path)),
      ("rows", .number(String(rows))), ("bytes", .number(String(bytes))), ("sha256", .string(sha256)),
    ])
  }

  public init(object: JSONObject) throws(RecordError) {
    name = try object.string("name")
    path = try object.string("path")
    rows = try object.count("rows")
    bytes = try object.count("bytes")
    sha256 = try object.string("sha256")
  }
}
