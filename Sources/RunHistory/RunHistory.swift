import Foundation

/// clever-sync's run history and schedules, of every profile that uses the same store:
/// an SQLite file in the profile's state directory (the default), or a PostgreSQL
/// database that a fleet of machines shares. Every query names its profile.
public final class RunHistory: Sendable {
  let store: any HistoryStore

  /// Where the history is: the SQLite file, or the PostgreSQL URL without its password.
  public var path: String { store.location }

  /// Whether other machines may share it (PostgreSQL), so that runs need its leases.
  public var isShared: Bool { store is PostgresStore }

  /// Opens (creating if needed) the SQLite database at `path` and brings its schema up to date.
  public init(path: String) throws {
    store = try SQLiteStore(path: path)
  }

  /// Connects to the PostgreSQL database of `url` and brings its schema up to date.
  public init(databaseURL url: DatabaseURL) throws {
    store = try PostgresStore(url: url)
  }

  func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T { try store.read(body) }
  func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T { try store.write(body) }
}
