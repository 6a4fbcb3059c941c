import Foundation
import NIOCore
import PostgresNIO

/// Statements of one PostgreSQL transaction: `?` placeholders numbered `$1`, `$2`..., new ids
/// from `RETURNING id`, rows decoded by position (`RunRecord.columns`).
struct PostgresTransaction: StoreTransaction {
  let connection: PostgresConnection
  let store: PostgresStore
  var dialect: SchemaDialect { .postgresql }

  func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
    try query(sql, arguments).metadata.rows ?? 0
  }

  func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64 {
    guard let row = try query(sql + " RETURNING id", arguments).rows.first else {
      throw HistoryError.store("PostgreSQL at \(store.location) returned no id for a new row")
    }
    return try row.makeRandomAccess()[0].decode(Int64.self)
  }

  func runs(_ sql: String, _ arguments: SQLArguments) throws -> [RunRecord] {
    try query(sql, arguments).rows.map { row in
      let cells = row.makeRandomAccess()
      return RunRecord(
        id: try cells[0].decode(Int64.self), profile: try cells[1].decode(String.self),
        trigger: try Self.raw(cells[2], RunTrigger.self), scheduleId: try cells[3].decode(Int64?.self),
        scheduledAt: try cells[4].decode(Date?.self), startedAt: try cells[5].decode(Date?.self),
        endedAt: try cells[6].decode(Date?.self), status: try Self.raw(cells[7], RunStatus.self),
        pid: try cells[8].decode(Int32?.self), summary: try cells[9].decode(String?.self),
        uploadResult: try cells[10].decode(String?.self), reason: try cells[11].decode(String?.self),
        artifacts: try cells[12].decode(String?.self), approvesRunId: try cells[13].decode(Int64?.self),
        uploaded: try cells[14].decode(Bool.self))
    }
  }

  func schedules(_ sql: String, _ arguments: SQLArguments) throws -> [ScheduleRecord] {
    try query(sql, arguments).rows.map { row in
      let cells = row.makeRandomAccess()
      return ScheduleRecord(
        id: try cells[0].decode(Int64.self), profile: try cells[1].decode(String.self),
        spec: try cells[2].decode(String.self), createdAt: try cells[3].decode(Date.self),
        lastCheckedAt: try cells[4].decode(Date?.self), active: try cells[5].decode(Bool.self))
    }
  }

  func leases(_ sql: String, _ arguments: SQLArguments) throws -> [LeaseRecord] {
    try query(sql, arguments).rows.map { row in
      let cells = row.makeRandomAccess()
      return LeaseRecord(
        name: try cells[0].decode(String.self), holder: try cells[1].decode(String.self),
        expiresAt: try cells[2].decode(Date.self), expired: try cells[3].decode(Bool.self))
    }
  }

  func files(_ sql: String, _ arguments: SQLArguments) throws -> [StoredFile] {
    try query(sql, arguments).rows.map { row in
      let cells = row.makeRandomAccess()
      return StoredFile(
        name: try cells[0].decode(String.self), sha256: try cells[1].decode(String.self),
        content: Data(try cells[2].decode(ByteBuffer.self).readableBytesView))
    }
  }

  func strings(_ sql: String) throws -> [String] {
    try query(sql, []).rows.map { try $0.makeRandomAccess()[0].decode(String.self) }
  }

  private func query(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
    var binds = PostgresBindings(capacity: arguments.count)
    for value in arguments.values {
      switch value {
      case .null: binds.appendNull()
      case .integer(let number): binds.append(number)
      case .text(let text): binds.append(text)
      case .date(let date): binds.append(date)
      case .boolean(let flag): binds.append(flag)
      case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
      }
    }
    return try store.run(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds), on: connection)
  }

  /// `?` → `$1`, `$2`...: the statements have no `?` inside their literals.
  static func numbered(_ sql: String) -> String {
    var count = 0
    var out = ""
    for character in sql {
      if character == "?" {
        count += 1
        out += "$\(count)"
      } else {
        out.append(character)
      }
    }
    return out
  }

  private static func raw<T: RawRepresentable>(_ cell: PostgresCell, _ type: T.Type) throws -> T where T.RawValue == String {
    let text = try cell.decode(String.self)
    guard let value = T(rawValue: text) else {
      throw HistoryError.store("unknown \(cell.columnName) \(text) in the history: written by a newer clever-sync?")
    }
    return value
  }
}
