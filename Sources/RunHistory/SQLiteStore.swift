import Foundation
import GRDB

/// The history in one SQLite file in the state directory, shared by every clever-sync
/// process of the machine (daemon, ticks, `history --watch`).
final class SQLiteStore: HistoryStore {
  let dbQueue: DatabaseQueue
  let location: String

  /// Opens (creating if needed) the database at `path` and brings its schema up to date.
  /// The parent directory is created 0700 and the file 0600; SQLite gives the -wal and -shm
  /// files the mode of the database file, so run summaries never become world-readable.
  init(path: String) throws {
    location = path
    try Self.prepareFile(at: path)

    var config = Configuration()
    // WAL: `history --watch` reads while the daemon writes.
    config.journalMode = .wal
    // Ticks, the daemon and the CLI write to the same file; wait for each other, briefly.
    config.busyMode = .timeout(5)
    dbQueue = try Self.openQueue(path, config)
    try Self.tighten(path)

    let migrator = Self.migrator
    do {
      try migrator.migrate(dbQueue)
    } catch {
      // Two processes opening a new file at once: the migrator reads what is applied outside its
      // transaction, so the loser fails creating tables the winner just made. Once more sees them.
      try migrator.migrate(dbQueue)
    }
    if try dbQueue.read({ try migrator.hasBeenSuperseded($0) }) {
      throw HistoryError.newerDatabase(path: path)
    }
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    for migration in Schema.migrations {
      migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql(.sqlite)) }
    }
    return migrator
  }

  func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
    try dbQueue.read { db in try body(SQLiteTransaction(db: db)) }
  }

  func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
    try dbQueue.write { db in try body(SQLiteTransaction(db: db)) }
  }

  /// Opens the queue. Switching a new file to WAL takes an exclusive lock, and SQLite
  /// answers "database is locked" at once, not after the busy timeout, when two processes
  /// switch it together (two ticks on a fresh install): that is tried again, for 5 s.
  private static func openQueue(_ path: String, _ config: Configuration) throws -> DatabaseQueue {
    let deadline = Date().addingTimeInterval(5)
    while true {
      do {
        return try DatabaseQueue(path: path, configuration: config)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
        usleep(UInt32.random(in: 10_000...50_000))
      }
    }
  }

  /// Creates the parent directory (0700) and an empty file (0600) before SQLite does, so the
  /// file never exists with the umask's mode.
  private static func prepareFile(at path: String) throws {
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty && !FileManager.default.fileExists(atPath: parent) {
      try FileManager.default.createDirectory(
        atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSFilePathErrorKey: path])
    }
    close(fd)
  }

  /// A file made by an older tool, or copied in, is brought to 0600 as well.
  private static func tighten(_ path: String) throws {
    for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
      try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
    }
  }
}

/// A GRDB connection inside `read` or `write`.
struct SQLiteTransaction: StoreTransaction {
  let db: Database
  var dialect: SchemaDialect { .sqlite }

  func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
    try db.execute(sql: sql, arguments: Self.statementArguments(arguments))
    return db.changesCount
  }

  func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64 {
    try db.execute(sql: sql, arguments: Self.statementArguments(arguments))
    return db.lastInsertedRowID
  }

  func runs(_ sql: String, _ arguments: SQLArguments) throws -> [RunRecord] {
    try RunRecord.fetchAll(db, sql: sql, arguments: Self.statementArguments(arguments))
  }

  func schedules(_ sql: String, _ arguments: SQLArguments) throws -> [ScheduleRecord] {
    try ScheduleRecord.fetchAll(db, sql: sql, arguments: Self.statementArguments(arguments))
  }

  func leases(_ sql: String, _ arguments: SQLArguments) throws -> [LeaseRecord] {
    try Row.fetchAll(db, sql: sql, arguments: Self.statementArguments(arguments)).map { row in
      LeaseRecord(name: row[0], holder: row[1], expiresAt: row[2], expired: row[3])
    }
  }

  func files(_ sql: String, _ arguments: SQLArguments) throws -> [StoredFile] {
    try StoredFile.fetchAll(db, sql: sql, arguments: Self.statementArguments(arguments))
  }

  static func statementArguments(_ arguments: SQLArguments) -> StatementArguments {
    StatementArguments(
      arguments.values.map { value -> (any DatabaseValueConvertible)? in
        switch value {
        case .null: nil
        case .integer(let number): number
        case .text(let text): text
        case .date(let date): date
        case .boolean(let flag): flag
        case .blob(let bytes): bytes
        }
      })
  }
}

// Enums come from the database as their raw values.
extension RunStatus: DatabaseValueConvertible {}
extension RunTrigger: DatabaseValueConvertible {}

// Column names are the property names; writes are plain SQL, so only fetching is needed.
extension RunRecord: FetchableRecord {}
extension ScheduleRecord: FetchableRecord {}
extension StoredFile: FetchableRecord {}
