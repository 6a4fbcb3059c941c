import Foundation

// The life of a run: Pending → Running → a final status. Every change of status is one
// `UPDATE ... WHERE status = ...` in a write transaction, so two processes can't both make it.
extension RunHistory {
  /// A scheduled run waiting for its time. A schedule has at most one Pending run.
  public func addPending(profile: String, trigger: RunTrigger, scheduleId: Int64?, scheduledAt: Date) throws
    -> RunRecord
  {
    try write { db in
      if let scheduleId {
        // Locked: a second tick adding the same schedule's next run waits, then sees this one.
        let schedule = try Self.fetchSchedule(db, scheduleId, locking: true)
        guard schedule.profile == profile else {
          throw HistoryError.scheduleOfOtherProfile(scheduleId, profile: schedule.profile)
        }
        guard schedule.active else { throw HistoryError.scheduleInactive(scheduleId) }
        if let existing = try Self.pendingRun(db, scheduleId) {
          throw HistoryError.schedulePending(scheduleId, run: existing.id)
        }
      }
      let id = try db.insert(
        """
        INSERT INTO run (profile, "trigger", scheduleId, scheduledAt, status) VALUES (?, ?, ?, ?, 'pending')
        """,
        [profile, trigger, scheduleId, scheduledAt])
      return try Self.fetchRun(db, id)
    }
  }

  /// Pending → Running. Of two processes starting the same run, exactly one gets the record;
  /// the other gets `alreadyStarted`.
  public func startPending(_ id: Int64, pid: Int32, at: Date) throws -> RunRecord {
    try write { db in
      let changed = try db.execute(
        "UPDATE run SET status = 'running', pid = ?, startedAt = ? WHERE id = ? AND status = 'pending'", [pid, at, id])
      try Self.requireChange(changed, db, id)
      return try Self.fetchRun(db, id)
    }
  }

  /// A run that starts now (manual, or an approval). An approval must name a Held run of the
  /// same profile that no other approval is uploading or has uploaded.
  public func startNew(profile: String, trigger: RunTrigger, pid: Int32, at: Date, approvesRunId: Int64? = nil)
    throws -> RunRecord
  {
    try write { db in
      if let heldId = approvesRunId {
        // Locked: two approvals of one Held run wait for each other.
        let held = try Self.fetchRun(db, heldId, locking: true)
        guard held.profile == profile else { throw HistoryError.runOfOtherProfile(heldId, profile: held.profile) }
        guard held.status == .held else { throw HistoryError.notHeld(heldId, held.status) }
        let other = try db.runs(
          "\(Self.selectRuns) WHERE approvesRunId = ? AND (status = 'running' OR uploaded) LIMIT 1", [heldId]
        ).first
        if let other { throw HistoryError.alreadyApproved(heldId, by: other.id) }
      }
      let id = try db.insert(
        """
        INSERT INTO run (profile, "trigger", startedAt, status, pid, approvesRunId)
        VALUES (?, ?, ?, 'running', ?, ?)
        """,
        [profile, trigger, at, pid, approvesRunId])
      return try Self.fetchRun(db, id)
    }
  }

  /// Running → `status`. Nil texts keep what is there. Refused (`notRunning`) if the run was
  /// meanwhile marked Interrupted, so a late finish can't rewrite history.
  public func finish(
    _ id: Int64, status: RunStatus, at: Date, summary: String?, uploadResult: String?, reason: String?,
    uploaded: Bool
  ) throws {
    guard status.isFinal else { throw HistoryError.notFinalStatus(status) }
    try write { db in
      let changed = try db.execute(
        """
        UPDATE run SET status = ?, endedAt = ?, summary = coalesce(?, summary),
          uploadResult = coalesce(?, uploadResult), reason = coalesce(?, reason), uploaded = ?
        WHERE id = ? AND status = 'running'
        """,
        [status, at, summary, uploadResult, reason, uploaded, id])
      if changed == 0 {
        throw HistoryError.notRunning(id, try Self.fetchRun(db, id).status)
      }
    }
  }

  public func setArtifacts(_ id: Int64, _ path: String) throws {
    try write { db in
      if try db.execute("UPDATE run SET artifacts = ? WHERE id = ?", [path, id]) == 0 {
        throw HistoryError.noSuchRun(id)
      }
    }
  }

  /// `schedule edit` of a Pending run; refused once it has started.
  public func reschedulePending(_ id: Int64, to date: Date) throws {
    try write { db in
      let changed = try db.execute("UPDATE run SET scheduledAt = ? WHERE id = ? AND status = 'pending'", [date, id])
      try Self.requireChange(changed, db, id)
    }
  }

  /// `schedule remove` of a Pending run; refused once it has started.
  public func cancelPending(_ id: Int64, at: Date) throws {
    try write { db in
      let changed = try db.execute(
        "UPDATE run SET status = 'cancelled', endedAt = ? WHERE id = ? AND status = 'pending'", [at, id])
      try Self.requireChange(changed, db, id)
    }
  }

  /// A Pending run that falls in a blackout is recorded as Skipped, not silently dropped.
  public func markSkipped(_ id: Int64, at: Date, reason: String) throws {
    try write { db in
      let changed = try db.execute(
        "UPDATE run SET status = 'skipped', endedAt = ?, reason = ? WHERE id = ? AND status = 'pending'",
        [at, reason, id])
      try Self.requireChange(changed, db, id)
    }
  }

  /// Running rows of `profile` whose process is gone become Interrupted; returns them.
  /// `isAlive` is asked outside any transaction; a row that finished meanwhile is left alone.
  /// `uploadCompleted` tells, from a run's artifacts, whether its upload had put the
  /// whole set in place before the process died: such a run is still Interrupted, but
  /// counts as uploaded (the guard and approvals compare with what the server has).
  public func markInterrupted(
    profile: String, at: Date, isAlive: (Int32) -> Bool, uploadCompleted: (RunRecord) -> Bool = { _ in false }
  ) throws -> [RunRecord] {
    let dead = try running(profile: profile).filter { run in run.pid.map { !isAlive($0) } ?? true }
    guard !dead.isEmpty else { return [] }
    let completed = Set(dead.filter(uploadCompleted).map(\.id))
    return try write { db in
      var marked: [RunRecord] = []
      for run in dead {
        var reason =
          run.pid.map { "the process (pid \($0)) ended without finishing the run" }
          ?? "the process ended without finishing the run"
        let uploaded = completed.contains(run.id)
        if uploaded { reason += ", after its upload had put the whole set in place: the server has this run's set" }
        let changed = try db.execute(
          """
          UPDATE run SET status = 'interrupted', endedAt = ?, reason = ?, uploaded = ?
          WHERE id = ? AND status = 'running' AND pid IS NOT DISTINCT FROM ?
          """,
          [at, reason, uploaded, run.id, run.pid])
        if changed > 0 { marked.append(try Self.fetchRun(db, run.id)) }
      }
      return marked
    }
  }
}
