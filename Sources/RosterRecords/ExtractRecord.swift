import RecordStream

/// The `extract` records qs-extract writes around the `qs.*` records of a run
/// (roster-records(5)): `started` first, `complete` only when every school was read
/// whole, with the records written counted by type.
public struct ExtractRecord: Sendable, Equatable {
  public static let type = "extract"
  public static let keys = ["status", "source", "schools", "records"]

  public enum Status: String, Sendable { case started, complete }

  public var status: Status?
  /// `api`, or `dump` for a replay of a saved dump.
  public var source: String
  /// The school codes of the run.
  public var schools: [String]
  /// On `complete`: the records written, by type, in the order first written.
  public var records: [(type: String, count: Int)]

  public init(status: Status, source: String, schools: [String], records: [(type: String, count: Int)] = []) {
    self.status = status
    self.source = source
    self.schools = schools
    self.records = records
  }

  public static func == (a: ExtractRecord, b: ExtractRecord) -> Bool {
    a.status == b.status && a.source == b.source && a.schools == b.schools
      && a.records.map(\.type) == b.records.map(\.type) && a.records.map(\.count) == b.records.map(\.count)
  }

  public var object: JSONObject {
    var o = JSONObject([("type", .string(Self.type)), ("status", .string(status?.rawValue ?? "")),
                        ("source", .string(source)), ("schools", .array(schools.map { .string($0) }))])
    if status == .complete {
      o.append("records", .object(JSONObject(records.map { ($0.type, .number(String($0.count))) })))
    }
    return o
  }

  /// Lenient where a bracket must still be matched: a status other than the two is
  /// kept as nil (the record is passed on, and brackets nothing), and a school code
  /// written as a number is its text.
  public init(object: JSONObject) {
    status = object["status"]?.text.flatMap(Status.init(rawValue:))
    source = object["source"]?.text ?? ""
    if case .array(let values)? = object["schools"] { schools = values.map { $0.text ?? "?" } } else { schools = [] }
    records = []
    if case .object(let counts)? = object["records"] {
      for (type, value) in counts { records.append((type, Int(value.text ?? "") ?? 0)) }
    }
  }
}
