import Foundation
import RunHistory
import RunSchedule

/// Scheduled runs of one profile. Each active schedule has one Pending run in the
/// history, at its next slot, which shows as Pending until it starts; a tick runs the
/// ones that are due, once each however many slots were missed (the newest missed slot
/// stands for all of them), and puts the schedule's next slot in its place.
public struct Scheduler {
  public let engine: RunEngine
  var history: RunHistory { engine.history }
  var profile: String { engine.profile.name }
  var zone: String { engine.profile.timeZone }

  public init(engine: RunEngine) { self.engine = engine }

  /// Adds a schedule and its first Pending run.
  public func add(_ spec: ScheduleSpec, now: Date = Date()) throws -> (ScheduleRecord, RunRecord) {
    let schedule = try spec.schedule(timeZone: zone)
    guard let first = schedule.nextRun(after: now) else {
      throw RunFailure("\(spec.description) has no run after now (\(LocalTime.text(now, zone: zone, withZone: true)))")
    }
    let record = try history.addSchedule(profile: profile, spec: spec.text, at: now)
    let pending = try history.addPending(profile: profile, trigger: .scheduled, scheduleId: record.id, scheduledAt: first)
    return (record, pending)
  }

  /// Changes a schedule; refused once its run has started (and for a one-off that ran).
  public func edit(_ id: Int64, _ spec: ScheduleSpec, now: Date = Date()) throws -> RunRecord {
    let pending = try changeable(id)
    let schedule = try spec.schedule(timeZone: zone)
    guard let next = schedule.nextRun(after: now) else { throw RunFailure("\(spec.description) has no run after now") }
    try history.updateSchedule(id, spec: spec.text)
    try history.reschedulePending(pending.id, to: next)
    return try history.run(pending.id) ?? pending
  }

  /// Removes a schedule: its Pending run is Cancelled. Refused once that run started.
  public func remove(_ id: Int64, now: Date = Date()) throws -> RunRecord {
    let pending = try changeable(id)
    try history.cancelPending(pending.id, at: now)
    try history.deactivateSchedule(id)
    return try history.run(pending.id) ?? pending
  }

  private func changeable(_ id: Int64) throws -> RunRecord {
    guard let schedule = try history.schedule(id), schedule.profile == profile else {
      throw RunFailure("profile \(profile) has no schedule \(id)")
    }
    if let running = try history.running(profile: profile).first(where: { $0.scheduleId == id }) {
      throw RunFailure("schedule \(id)'s run \(running.id) has started (it is Running): it can no longer be changed")
    }
    guard schedule.active, let pending = try history.pendingRun(scheduleId: id) else {
      throw RunFailure("schedule \(id) has already run and has no future run: it can no longer be changed")
    }
    return pending
  }

  /// Runs what is due at `now`, one after another. The caller holds the profile's lock.
  public func tick(now: Date = Date()) throws -> [RunRecord] {
    var done: [RunRecord] = []
    for pending in try due(now: now) {
      if StopSignals.received != nil { break }  // stopped: what is still due waits for the next tick
      done.append(try start(pending, now: now))
    }
    return done
  }

  /// The Pending runs due at `now`, the oldest slot first. A fleet (Fleet) starts them
  /// one at a time, each in its own process; `tick` runs them all here.
  public func due(now: Date = Date()) throws -> [RunRecord] {
    try history.pending(profile: profile).filter { ($0.scheduledAt ?? .distantFuture) <= now }
  }

  /// Starts one due Pending run and runs it (or records it Skipped in a blackout). The
  /// caller holds the profile's lock.
  ///
  /// The schedule's next slot is put in the history as Pending as soon as this one
  /// starts, before it runs, so a run that is killed never ends its schedule.
  public func start(_ pending: RunRecord, now: Date = Date()) throws -> RunRecord {
    let calendar = BlackoutCalendar(engine.profile.blackouts, clock: try ZoneClock(identifier: zone))
    let slot = pending.scheduledAt ?? now
    var schedule: Schedule?
    var note: String?
    var due = slot
    if let id = pending.scheduleId, let record = try history.schedule(id) {
      schedule = try ScheduleSpec(text: record.spec).schedule(timeZone: zone)
      // Slots missed while no scheduler ran collapse into one run; the newest stands
      // for them all (MissedRunPolicy).
      let decision = MissedRunPolicy.decide(schedule!, lastChecked: slot.addingTimeInterval(-1), now: now)
      due = decision.due ?? slot
      if decision.collapsedSlots > 1 {
        note = "\(decision.collapsedSlots) slots passed while no scheduler ran (from \(LocalTime.due(slot, zone: zone, withZone: true)) "
          + "to \(LocalTime.due(due, zone: zone, withZone: true))); they are run once, now"
      }
    }
    let blackout = calendar.blackout(at: due)
    var started: RunRecord?
    if let blackout {
      try history.markSkipped(pending.id, at: now, reason: "in the blackout period \(blackout)")
    } else {
      started = try history.startPending(pending.id, pid: getpid(), at: Date())
    }
    if let id = pending.scheduleId {
      if let schedule, let next = schedule.nextRun(after: now) {
        _ = try history.addPending(profile: profile, trigger: .scheduled, scheduleId: id, scheduledAt: next)
      } else {
        try history.deactivateSchedule(id)
      }
      try history.setScheduleChecked(id, at: now)
    }
    if let started { return engine.runStarted(started, note: note) }
    return try history.run(pending.id) ?? pending
  }

  /// When the next Pending run is due, for the daemon's sleep.
  public func nextDue() throws -> Date? {
    try history.pending(profile: profile).compactMap(\.scheduledAt).min()
  }
}
