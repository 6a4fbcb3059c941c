import Foundation

// Reading the history, and the lookups the store's other files share.
extension RunHistory {
  /// The most recent activity first, as `history` lists them: runs by what happened to
  /// them last (their end, else their start; a schedule's Pending run cancelled or
  /// skipped has only an end), then the runs still waiting, soonest due first. A future
  /// slot is no activity: it never hides a run that has happened. NULLS FIRST is SQLite's
  /// own order, spelled out for PostgreSQL.
  static let newestFirst = """
    ORDER BY coalesce(endedAt, startedAt) IS NULL, coalesce(endedAt, startedAt) DESC, scheduledAt ASC NULLS FIRST, \
    id DESC
    """

  static let selectRuns = "SELECT \(RunRecord.columns) FROM run"

  public func run(_ id: Int64) throws -> RunRecord? {
    try read { try $0.runs("\(Self.selectRuns) WHERE id = ?", [id]).first }
  }

  /// The most recent activity first (`newestFirst`), `limit` of them.
  public func runs(profile: String, limit: Int = 50) throws -> [RunRecord] {
    try read { try Self.runs($0, profile: profile, limit: limit) }
  }

  /// Oldest scheduledAt first: the order they fall due.
  public func pending(profile: String) throws -> [RunRecord] {
    try read {
      try $0.runs("\(Self.selectRuns) WHERE profile = ? AND status = 'pending' ORDER BY scheduledAt, id", [profile])
    }
  }

  /// The runs with `status` of every profile in `profiles` (a fleet's, sharing this
  /// store), in the order they fall due.
  public func runs(status: RunStatus, profiles: [String]) throws -> [RunRecord] {
    guard !profiles.isEmpty else { return [] }
    // Every row with that status, then filtered: one statement, however many profiles.
    let wanted = Set(profiles)
    return try read {
      try $0.runs("\(Self.selectRuns) WHERE status = ? ORDER BY scheduledAt, id", [status])
    }.filter { wanted.contains($0.profile) }
  }

  public func pendingRun(scheduleId: Int64) throws -> RunRecord? {
    try read { try Self.pendingRun($0, scheduleId) }
  }

  public func running(profile: String) throws -> [RunRecord] {
    try read {
      try $0.runs("\(Self.selectRuns) WHERE profile = ? AND status = 'running' ORDER BY startedAt, id", [profile])
    }
  }

  // Shared by the store's files, inside their transactions.

  static func runs(_ db: any StoreTransaction, profile: String, limit: Int) throws -> [RunRecord] {
    try db.runs("\(selectRuns) WHERE profile = ? \(newestFirst) LIMIT ?", [profile, limit])
  }

  /// With `locking`, the row stays locked until the transaction ends (PostgreSQL; SQLite has
  /// one writer at a time anyway).
  static func fetchRun(_ db: any StoreTransaction, _ id: Int64, locking: Bool = false) throws -> RunRecord {
    let lock = locking ? db.dialect.lockingRow : ""
    guard let run = try db.runs("\(selectRuns) WHERE id = ?\(lock)", [id]).first else {
      throw HistoryError.noSuchRun(id)
    }
    return run
  }

  static func pendingRun(_ db: any StoreTransaction, _ scheduleId: Int64) throws -> RunRecord? {
    try db.runs("\(selectRuns) WHERE scheduleId = ? AND status = 'pending'", [scheduleId]).first
  }

  /// After an `UPDATE ... WHERE status = 'pending'`: nothing changed means gone or started.
  static func requireChange(_ changed: Int, _ db: any StoreTransaction, _ id: Int64) throws {
    if changed == 0 { throw HistoryError.alreadyStarted(id, try fetchRun(db, id).status) }
  }
}
