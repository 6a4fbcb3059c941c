import Foundation

// The guard's baseline and the retention of old runs.
extension RunHistory {
  /// The newest run of `profile` whose set reached the server (by end time).
  /// With `before`: the baseline that run is compared with — uploads that ended before it
  /// started, itself excluded (all others, if it has not started).
  public func lastUploaded(profile: String, before id: Int64? = nil) throws -> RunRecord? {
    try read { db in try Self.lastUploaded(db, profile: profile, before: id) }
  }

  /// Deletes the finished runs of `profile` beyond the newest `keep` finished ones, and returns
  /// them so the caller removes their artifacts. Never deleted: Pending, Running, Held (an
  /// approval may still upload its set) and the last uploaded run (the guard's baseline).
  /// The stored sets no run will read again go too (`deleteUnneededSets`).
  public func prune(profile: String, keep: Int) throws -> [RunRecord] {
    try write { db in
      _ = try Self.deleteUnneededSets(db, profile: profile)
      let finished = try db.runs(
        "\(Self.selectRuns) WHERE profile = ? AND status NOT IN ('pending', 'running') \(Self.newestFirst)", [profile])
      let baseline = try Self.lastUploaded(db, profile: profile, before: nil)?.id
      let doomed = finished.dropFirst(max(0, keep)).filter { $0.status != .held && $0.id != baseline }
      for run in doomed {
        try db.execute("DELETE FROM run WHERE id = ?", [run.id])
      }
      return Array(doomed)
    }
  }

  static func lastUploaded(_ db: any StoreTransaction, profile: String, before id: Int64?) throws -> RunRecord? {
    var sql = "\(selectRuns) WHERE profile = ? AND uploaded"
    var arguments: SQLArguments = [profile]
    if let id {
      let run = try fetchRun(db, id)
      sql += " AND id <> ?"
      arguments += [id]
      if let startedAt = run.startedAt {
        sql += " AND coalesce(endedAt, startedAt) <= ?"
        arguments += [startedAt]
      }
    }
    sql += " ORDER BY coalesce(endedAt, startedAt) DESC, id DESC LIMIT 1"
    return try db.runs(sql, arguments).first
  }
}
