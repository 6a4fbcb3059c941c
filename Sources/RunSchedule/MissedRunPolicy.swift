import Foundation

/// What the scheduler does about runs that fell due while nobody was looking (the machine
/// was off, the daemon stopped, cron missed ticks).
///
/// The policy: every slot of the schedule after `lastChecked` and at or before `now`
/// collapses into ONE run, for the most recent of those slots. Older missed slots are not
/// run, not even one per slot: a roster sync only needs the latest data once. A slot at
/// exactly `lastChecked` was already handled by that look. If the clock went back
/// (`now` before `lastChecked`), nothing is due and the next slot is the one after
/// `lastChecked`, so no slot runs twice. Blackouts are not considered here: the caller
/// checks the returned slot against its `BlackoutCalendar`.
public enum MissedRunPolicy {
  public struct Decision: Equatable, Sendable {
    /// The slot to run now, the most recent one due; nil when none fell due.
    public let due: Date?
    /// How many slots fell due and were collapsed into `due` (0 when none, 1 when on time).
    public let collapsedSlots: Int
    /// The next slot after now (or after `lastChecked` if the clock went back); nil when the schedule has ended.
    public let next: Date?

    public init(due: Date?, collapsedSlots: Int, next: Date?) {
      self.due = due
      self.collapsedSlots = collapsedSlots
      self.next = next
    }
  }

  /// The decision for one look at `schedule`, the previous look having been at `lastChecked`.
  public static func decide(_ schedule: Schedule, lastChecked: Date, now: Date) -> Decision {
    let seen = max(lastChecked, now)
    let missed = now > lastChecked ? schedule.runs(from: lastChecked, through: now).filter { $0 > lastChecked } : []
    return Decision(due: missed.last, collapsedSlots: missed.count, next: schedule.nextRun(after: seen))
  }
}
