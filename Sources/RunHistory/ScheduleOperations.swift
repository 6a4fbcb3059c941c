import Foundation
import GRDB

// Schedules are rows of opaque specs; when they fall due is the caller's business (RunSchedule).
extension RunHistory {
  public func addSchedule(profile: String, spec: String, at: Date) throws -> ScheduleRecord {
    try dbQueue.write { db in
      try db.execute(
        sql: "INSERT INTO schedule (profile, spec, createdAt, active) VALUES (?, ?, ?, 1)",
        arguments: [profile, spec, at])
      return try Self.fetchSchedule(db, db.lastInsertedRowID)
    }
  }

  public func schedule(_ id: Int64) throws -> ScheduleRecord? {
    try dbQueue.read { db in try ScheduleRecord.fetchOne(db, key: id) }
  }

  /// In creation order; inactive (removed or finished) ones too unless `activeOnly`.
  public func schedules(profile: String, activeOnly: Bool = false) throws -> [ScheduleRecord] {
    try dbQueue.read { db in
      try ScheduleRecord.fetchAll(
        db, sql: "SELECT * FROM schedule WHERE profile = ? \(activeOnly ? "AND active" : "") ORDER BY id",
        arguments: [profile])
    }
  }

  /// Refused for a removed or finished schedule. Its Pending run is the caller's to reschedule.
  public func updateSchedule(_ id: Int64, spec: String) throws {
    try dbQueue.write { db in
      guard try Self.fetchSchedule(db, id).active else { throw HistoryError.scheduleInactive(id) }
      try db.execute(sql: "UPDATE schedule SET spec = ? WHERE id = ?", arguments: [spec, id])
    }
  }

  /// When the scheduler last looked at it: the start of the window for missed runs.
  public func setScheduleChecked(_ id: Int64, at: Date) throws {
    try dbQueue.write { db in
      try db.execute(sql: "UPDATE schedule SET lastCheckedAt = ? WHERE id = ?", arguments: [at, id])
      if db.changesCount == 0 { throw HistoryError.noSuchSchedule(id) }
    }
  }

  /// Removed or finished schedules stay, inactive, for the runs that refer to them. With
  /// `cancelPendingAt`, its Pending run is cancelled in the same transaction and returned.
  @discardableResult
  public func deactivateSchedule(_ id: Int64, cancelPendingAt: Date? = nil) throws -> RunRecord? {
    try dbQueue.write { db in
      try db.execute(sql: "UPDATE schedule SET active = 0 WHERE id = ?", arguments: [id])
      if db.changesCount == 0 { throw HistoryError.noSuchSchedule(id) }
      guard let at = cancelPendingAt, let pending = try Self.pendingRun(db, id) else { return nil }
      try db.execute(
        sql: "UPDATE run SET status = 'cancelled', endedAt = ? WHERE id = ?", arguments: [at, pending.id])
      return try Self.fetchRun(db, pending.id)
    }
  }

  static func fetchSchedule(_ db: Database, _ id: Int64) throws -> ScheduleRecord {
    guard let schedule = try ScheduleRecord.fetchOne(db, key: id) else { throw HistoryError.noSuchSchedule(id) }
    return schedule
  }
}
