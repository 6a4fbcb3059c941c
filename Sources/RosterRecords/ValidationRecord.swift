import RecordStream

/// The `validation` record clever-validate writes once, last (roster-records(5)):
/// `clever-csv write` and `sftp-put` refuse a stream whose records count errors.
public struct ValidationRecord: Sendable, Equatable {
  public static let type = "validation"
  public static let keys = ["errors", "warnings", "records", "strict"]

  /// Errors, and under `strict` the warnings too: what makes the set unfit to write.
  public var errors: Int
  public var warnings: Int
  /// Clever records checked.
  public var records: Int
  /// Whether clever-validate ran with --strict (its errors then count the warnings).
  public var strict: Bool

  public init(errors: Int, warnings: Int, records: Int, strict: Bool) {
    self.errors = errors
    self.warnings = warnings
    self.records = records
    self.strict = strict
  }

  public var object: JSONObject {
    JSONObject([
      ("type", .string(Self.type)), ("errors", .number(String(errors))), ("warnings", .number(String(warnings))),
      ("records", .number(String(records))), ("strict", .bool(strict)),
    ])
  }

  public init(object: JSONObject) throws(RecordError) {
    errors = try object.count("errors")
    warnings = try object.count("warnings")
    records = try object.count("records")
    strict = try object.bool("strict")
  }
}
