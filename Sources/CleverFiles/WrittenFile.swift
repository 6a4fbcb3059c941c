import RecordStream

/// A file `clever-csv write` put in place: the `file` record of records.md.
public struct WrittenFile: Sendable, Equatable {
  public let name: String
  public let path: String
  public let rows: Int
  public let bytes: Int
  public let sha256: String

  public var object: JSONObject {
    JSONObject([
      ("type", .string("file")), ("name", .string(name)), ("path", .string(path)),
      ("rows", .number(String(rows))), ("bytes", .number(String(bytes))), ("sha256", .string(sha256)),
    ])
  }
}
