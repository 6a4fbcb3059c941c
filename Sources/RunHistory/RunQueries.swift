import Foundation
import GRDB

// Reading the history, and the lookups the store's other files share.
extension RunHistory {
  /// The most recent activity first, as `history` lists them: runs by what happened to
  /// them last (their end, else their start; a schedule's Pending run cancelled or
  /// skipped has only an end), then the runs still waiting, soonest due first. A future
  /// slot is no activity: it never hides a run that has happened.
  static let newestFirst = """
    ORDER BY coalesce(endedAt, startedAt) IS NULL, coalesce(endedAt, startedAt) DESC, scheduledAt ASC, id DESC
    """

  public func run(_ id: Int64) throws -> RunRecord? {
    try dbQueue.read { db in try RunRecord.fetchOne(db, key: id) }
  }

  /// The most recent activity first (`newestFirst`), `limit` of them.
  public func runs(profile: String, limit: Int = 50) throws -> [RunRecord] {
    try dbQueue.read { db in try Self.runs(db, profile: profile, limit: limit) }
  }

  /// Oldest scheduledAt first: the order they fall due.
  public func pending(profile: String) throws -> [RunRecord] {
    try dbQueue.read { db in
      try RunRecord.fetchAll(
        db, sql: "SELECT * FROM run WHERE profile = ? AND status = 'pending' ORDER BY scheduledAt, id",
        arguments: [profile])
    }
  }

  public func pendingRun(scheduleId: Int64) throws -> RunRecord? {
    try dbQueue.read { db in try Self.pendingRun(db, scheduleId) }
  }

  public func running(profile: String) throws -> [RunRecord] {
    try dbQueue.read { db in
      try RunRecord.fetchAll(
        db, sql: "SELECT * FROM run WHERE profile = ? AND status = 'running' ORDER BY startedAt, id",
        arguments: [profile])
    }
  }

  // Shared by the store's files, inside their transactions.

  static func runs(_ db: Database, profile: String, limit: Int) throws -> [RunRecord] {
    try RunRecord.fetchAll(
      db, sql: "SELECT * FROM run WHERE profile = ? \(newestFirst) LIMIT ?", arguments: [profile, limit])
  }

  static func fetchRun(_ db: Database, _ id: Int64) throws -> RunRecord {
    guard let run = try RunRecord.fetchOne(db, key: id) else { throw HistoryError.noSuchRun(id) }
    return run
  }

  static func pendingRun(_ db: Database, _ scheduleId: Int64) throws -> RunRecord? {
    try RunRecord.fetchOne(
      db, sql: "SELECT * FROM run WHERE scheduleId = ? AND status = 'pending'", arguments: [scheduleId])
  }

  /// After an `UPDATE ... WHERE status = 'pending'`: nothing changed means gone or started.
  static func requireChange(_ db: Database, _ id: Int64) throws {
    if db.changesCount == 0 { throw HistoryError.alreadyStarted(id, try fetchRun(db, id).status) }
  }
}
