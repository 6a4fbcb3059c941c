import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// The history in a PostgreSQL database that the machines of a fleet share: one database
/// for every profile (each query names its profile), the same schema as SQLite's.
///
/// RunHistory's API is synchronous; postgres-nio's is not. Each store has one connection of
/// its own, used by one transaction at a time (a lock), and waits on postgres-nio's futures:
/// callers are never on an event loop (the connection's loop is postgres-nio's own group), so
/// the wait blocks only the caller.
final class PostgresStore: HistoryStore, @unchecked Sendable {
  let location: String
  private let url: DatabaseURL
  private let lock = NSLock()
  /// Guarded by `lock`; opened again after the server closed it.
  private var connection: PostgresConnection?
  /// postgres-nio logs nothing the user needs; messages come from the errors.
  private let logger = Logger(label: "clever-sync.history", factory: { _ in SwiftLogNoOpLogHandler() })

  init(url: DatabaseURL) throws {
    self.url = url
    self.location = url.description
    try migrate()
  }

  deinit {
    // Not waited for: the last release may happen anywhere. The closure keeps the connection
    // until it is closed (postgres-nio asserts that it is never released open).
    guard let connection else { return }
    connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
  }

  func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
    // One consistent look, as SQLite's read gives.
    try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
  }

  /// READ COMMITTED, as SQLite's writes need no more: every change of status is an
  /// `UPDATE ... WHERE status = ...` whose changed-row count is checked, and a row that a
  /// transaction checks before acting on it is locked (`SchemaDialect.lockingRow`).
  func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
    try transaction("BEGIN", body)
  }

  private func transaction<T>(_ begin: String, _ body: (any StoreTransaction) throws -> T) throws -> T {
    try lock.withLock {
      let connection = try connected()
      let transaction = PostgresTransaction(connection: connection, store: self)
      _ = try transaction.execute(begin, [])
      do {
        let value = try body(transaction)
        _ = try transaction.execute("COMMIT", [])
        return value
      } catch {
        _ = try? transaction.execute("ROLLBACK", [])
        throw error
      }
    }
  }

  /// The open connection, or a new one. Called with `lock` held.
  private func connected() throws -> PostgresConnection {
    if let connection, !connection.isClosed { return connection }
    let tls: PostgresConnection.Configuration.TLS
    do {
      switch url.tls {
      case .disable: tls = .disable
      case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
      case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
      }
    } catch {
      throw HistoryError.store("PostgreSQL at \(location): TLS: \(error)")
    }
    var configuration = PostgresConnection.Configuration(
      host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
    configuration.options.connectTimeout = .seconds(10)
    let attempt = PostgresConnection.connect(
      on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: 1, logger: logger)
    let opened: PostgresConnection?
    do {
      // A connection that arrives after the caller gave up is closed, never left open.
      opened = try waitForAnswer(attempt, seconds: url.queryTimeout) { late in
        late.close().whenComplete { _ in withExtendedLifetime(late) {} }
      }
    } catch {
      throw describe(error, doing: "cannot connect to")
    }
    guard let opened else { throw noAnswer(doing: "cannot connect to") }
    connection = opened
    return opened
  }

  /// Runs `query` on `connection`, a transaction's, with `lock` held.
  func run(_ query: PostgresQuery, on connection: PostgresConnection) throws -> PostgresQueryResult {
    // A connection given up on earlier in this transaction is not asked again (its
    // ROLLBACK would wait as long again).
    guard connection === self.connection else { throw noAnswer(doing: "error from") }
    let answer: PostgresQueryResult?
    do {
      answer = try waitForAnswer(connection.query(query, logger: logger), seconds: url.queryTimeout)
    } catch {
      throw describe(error, doing: "error from")
    }
    guard let answer else {
      // A server that is gone without closing the connection (its machine stopped, a route
      // dropped) would hold the caller, and its profile's lock, until TCP gives up, many
      // minutes on. It is treated as a restart is: unreachable, and a new connection next.
      self.connection = nil
      connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
      throw noAnswer(doing: "error from")
    }
    return answer
  }

  private func noAnswer(doing what: String) -> any Error {
    HistoryError.unreachable("\(what) PostgreSQL at \(location): no answer in \(url.queryTimeout) s")
  }

  /// PSQLError's description is deliberately empty; the server's message and SQLSTATE, or
  /// the connection's failure, say what happened. The password is in none of them.
  private func describe(_ error: any Error, doing what: String) -> any Error {
    guard let error = error as? PSQLError else { return HistoryError.store("\(what) PostgreSQL at \(location): \(error)") }
    if let info = error.serverInfo {
      let message = info[.message] ?? "unknown error"
      let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
      return PostgresServerError(
        sqlState: info[.sqlState] ?? "", description: "\(what) PostgreSQL at \(location): \(message)\(state)")
    }
    let cause = error.underlying.map { ": \($0)" } ?? ""
    // No answer from the server: the connection failed or was closed (a restart).
    return HistoryError.unreachable("\(what) PostgreSQL at \(location): \(error.code)\(cause)")
  }

  /// Brings the schema up to date, one machine at a time: a transaction-scoped advisory lock
  /// holds back every other migrator until this one commits.
  private func migrate() throws {
    try write { transaction in
      try transaction.execute("SELECT pg_advisory_xact_lock(?)", [Self.migrationLock])
      try transaction.execute("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)", [])
      let applied = try (transaction as! PostgresTransaction).strings("SELECT identifier FROM grdb_migrations")
      let known = Schema.migrations.map(\.identifier)
      if applied.contains(where: { !known.contains($0) }) { throw HistoryError.newerDatabase(path: location) }
      for migration in Schema.migrations where !applied.contains(migration.identifier) {
        // The extended protocol takes one statement at a time.
        for statement in migration.sql(.postgresql).components(separatedBy: ";\n")
        where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
          try transaction.execute(statement.trimmingCharacters(in: CharacterSet(charactersIn: "; \n")), [])
        }
        try transaction.execute("INSERT INTO grdb_migrations (identifier) VALUES (?)", [migration.identifier])
      }
    }
  }

  /// Any fixed number: the key of clever-sync's migration lock in the database.
  static let migrationLock: Int64 = 0x636c_6576_6572
}

/// An error PostgreSQL reported, with its SQLSTATE for the code that tells them apart.
struct PostgresServerError: Error, CustomStringConvertible {
  let sqlState: String
  let description: String
}
