import Foundation
import GRDB

/// clever-sync's run history and schedules: one SQLite file in the state directory,
/// shared by every clever-sync process of the machine (daemon, ticks, `history --watch`).
public final class RunHistory: Sendable {
  let dbQueue: DatabaseQueue
  public let path: String

  /// Opens (creating if needed) the database at `path` and brings its schema up to date.
  /// The parent directory is created 0700 and the file 0600; SQLite gives the -wal and -shm
  /// files the mode of the database file, so run summaries never become world-readable.
  public init(path: String) throws {
    self.path = path
    try Self.prepareFile(at: path)

    var config = Configuration()
    // WAL: `history --watch` reads while the daemon writes.
    config.journalMode = .wal
    // Ticks, the daemon and the CLI write to the same file; wait for each other, briefly.
    config.busyMode = .timeout(5)
    dbQueue = try Self.openQueue(path, config)
    try Self.tighten(path)

    let migrator = Schema.migrator
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
