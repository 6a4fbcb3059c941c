import Foundation

// Schedules are rows of opaque specs; when they fall due is the caller's business (RunSchedule).
extension RunHistory {
  static let selectSchedules = "SELECT \(ScheduleRecord.columns) FROM schedule"

  public func addSchedule(profile: String, spec: String, at: Date) throws -> ScheduleRecord {
    try write { db in
      let id = try db.insert(
        "INSERT INTO schedule (profile, spec, createdAt, active) VALUES (?, ?, ?, TRUE)", [profile, spec, at])
      return try Self.fetchSchedule(db, id)
    }
  }

  public func schedule(_ id: Int64) throws -> ScheduleRecord? {
    try read { try $0.schedules("\(Self.selectSchedules) WHERE id = ?", [id]).first }
  }

  /// In creation order; inactive (removed or finished) ones too unless `activeOnly`.
  public func schedules(profile: String, activeOnly: Bool = false) throws -> [ScheduleRecord] {
    try read {
      try $0.schedules(
        "\(Self.selectSchedules) WHERE profile = ? \(activeOnly ? "AND active" : "") ORDER BY id", [profile])
    }
  }

  /// Refused for a removed or finished schedule. Its Pending run is the caller's to reschedule.
  public func updateSchedule(_ id: Int64, spec: String) throws {
    try write { db in
      guard try Self.fetchSchedule(db, id, locking: true).active else { throw HistoryError.scheduleInactive(id) }
      try db.execute("UPDATE schedule SET spec = ? WHERE id = ?", [spec, id])
    }
  }

  /// When the scheduler last looked at it: the start of the window for missed runs.
  public func setScheduleChecked(_ id: Int64, at: Date) throws {
    try write { db in
      if try db.execute("UPDATE schedule SET lastCheckedAt = ? WHERE id = ?", [at, id]) == 0 {
        throw HistoryError.noSuchSchedule(id)
      }
    }
  }

  /// Removed or finished schedules stay, inactive, for the runs that refer to them. With
  /// `cancelPendingAt`, its Pending run is cancelled in the same transaction and returned.
  @discardableResult
  public func deactivateSchedule(_ id: Int64, cancelPendingAt: Date? = nil) throws -> RunRecord? {
    try write { db in
      if try db.execute("UPDATE schedule SET active = FALSE WHERE id = ?", [id]) == 0 {
        throw HistoryError.noSuchSchedule(id)
      }
      guard let at = cancelPendingAt, let pending = try Self.pendingRun(db, id) else { return nil }
      try db.execute(
        "UPDATE run SET status = 'cancelled', endedAt = ? WHERE id = ? AND status = 'pending'", [at, pending.id])
      return try Self.fetchRun(db, pending.id)
    }
  }

  static func fetchSchedule(_ db: any StoreTransaction, _ id: Int64, locking: Bool = false) throws -> ScheduleRecord {
    let lock = locking ? db.dialect.lockingRow : ""
    guard let schedule = try db.schedules("\(selectSchedules) WHERE id = ?\(lock)", [id]).first else {
      throw HistoryError.noSuchSchedule(id)
    }
    return schedule
  }
}
