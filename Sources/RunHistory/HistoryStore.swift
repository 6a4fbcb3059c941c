import Foundation

/// A value bound to a `?` of a statement, the same for both stores.
enum SQLValue: Sendable, Equatable {
  case null, integer(Int64), text(String), date(Date), boolean(Bool), blob(Data)
}

/// What the operations pass as statement arguments: `[profile, status, scheduleId, at]`.
protocol SQLArgument { var sqlValue: SQLValue { get } }

extension String: SQLArgument { var sqlValue: SQLValue { .text(self) } }
extension Int64: SQLArgument { var sqlValue: SQLValue { .integer(self) } }
extension Int32: SQLArgument { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int: SQLArgument { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Bool: SQLArgument { var sqlValue: SQLValue { .boolean(self) } }
extension Date: SQLArgument { var sqlValue: SQLValue { .date(self) } }
extension Data: SQLArgument { var sqlValue: SQLValue { .blob(self) } }
extension RunStatus: SQLArgument { var sqlValue: SQLValue { .text(rawValue) } }
extension RunTrigger: SQLArgument { var sqlValue: SQLValue { .text(rawValue) } }

typealias SQLArguments = [(any SQLArgument)?]

extension Array where Element == (any SQLArgument)? {
  var values: [SQLValue] { map { $0?.sqlValue ?? .null } }
}

/// One transaction (or, for reads, one consistent look) of a store. The operations of
/// RunHistory are written once against it, in SQL both dialects read alike: `?`
/// placeholders (PostgreSQL's store numbers them), TRUE and FALSE, `IS NOT DISTINCT FROM`.
protocol StoreTransaction {
  var dialect: SchemaDialect { get }
  /// Runs a statement; returns how many rows it changed.
  @discardableResult func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int
  /// Runs an INSERT into a table with an `id`; returns the new row's id.
  func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64
  /// `sql` selects `RunRecord.columns` (in that order).
  func runs(_ sql: String, _ arguments: SQLArguments) throws -> [RunRecord]
  /// `sql` selects `ScheduleRecord.columns` (in that order).
  func schedules(_ sql: String, _ arguments: SQLArguments) throws -> [ScheduleRecord]
  /// `sql` selects `LeaseRecord.columns` and then whether it has expired.
  func leases(_ sql: String, _ arguments: SQLArguments) throws -> [LeaseRecord]
  /// `sql` selects `StoredFile.columns` (in that order).
  func files(_ sql: String, _ arguments: SQLArguments) throws -> [StoredFile]
}

/// Where the history is kept: an SQLite file of the machine, or a PostgreSQL database a
/// fleet shares. Each store is safe to use from any thread; its calls block.
protocol HistoryStore: Sendable {
  /// The file, or the URL without its password: for messages.
  var location: String { get }
  func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T
  /// One transaction: every change in `body` is committed together, or none is.
  func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T
  /// Calls `onChange` with `fetch`'s answer now and whenever it changes, until cancelled.
  func observe(
    pollInterval: TimeInterval, fetch: @escaping @Sendable (any StoreTransaction) throws -> [RunRecord],
    onChange: @escaping @Sendable ([RunRecord]) -> Void, onError: @escaping @Sendable (any Error) -> Void
  ) throws -> HistoryObservation
}

extension RunRecord {
  /// The columns every store selects, in the order its decoder reads them.
  static let columns = """
    id, profile, "trigger", scheduleId, scheduledAt, startedAt, endedAt, status, pid, summary, uploadResult, \
    reason, artifacts, approvesRunId, uploaded
    """
}

extension ScheduleRecord {
  static let columns = "id, profile, spec, createdAt, lastCheckedAt, active"
}

extension StoredFile {
  static let columns = "name, sha256, content"
}
