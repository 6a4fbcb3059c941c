import Foundation

/// When a profile's scheduled run happens: a start, a repeat rule, an optional last
/// date, all on the local clock of one time zone.
///
/// Calendar rules (`daily`, `weekdays`, `weekly`) run once on each qualifying local date
/// at the wall time; how a wall time that is skipped or repeated by daylight saving is
/// read is set out on `ZoneClock`. So a daily run never runs twice in one day and never
/// skips one, and on an ordinary day after the change it is back at its wall time.
/// `every` counts elapsed time from the first run, so its wall time moves by the size of
/// a daylight-saving change.
public struct Schedule: Hashable, Sendable, CustomStringConvertible {
  /// Where the schedule begins.
  public enum Start: Hashable, Sendable {
    /// A wall time on a local date; the first run is that reading (resolved as `ZoneClock` says).
    case local(date: LocalDate, time: WallTime)
    /// An exact first instant. Calendar rules run at a wall time to the minute: they take
    /// the instant rounded up to the next whole minute, whose local date and wall time are
    /// the first slot, so that slot is never before the instant.
    case instant(Date)
  }

  public let start: Start
  public let repeatRule: RepeatRule
  /// The last local date on which a run may happen (inclusive); nil for no end.
  public let until: LocalDate?
  public let clock: ZoneClock
  public var timeZone: TimeZone { clock.timeZone }

  /// The first run of the schedule (before `until` is considered).
  public let firstInstant: Date
  /// The local date of the first run: calendar rules count qualifying days from here.
  public let startDate: LocalDate
  /// The wall time calendar rules run at.
  public let wallTime: WallTime

  /// Fails for an unknown time zone, an `every` interval under 5 minutes or not whole
  /// minutes, a `weekly` rule with no days, or an `until` before the start date.
  public init(start: Start, repeat rule: RepeatRule, until: LocalDate? = nil, timeZone identifier: String)
    throws(ScheduleError)
  {
    let clock = try ZoneClock(identifier: identifier)
    switch rule {
    case .every(let seconds) where seconds < RepeatRule.minimumInterval:
      throw .intervalTooShort(seconds: seconds)
    case .every(let seconds) where seconds % 60 != 0:
      throw .intervalNotWholeMinutes(seconds: seconds)
    case .weekly(let days) where days.isEmpty:
      throw .invalidRepeat(rule.description, reason: "no days given")
    default: break
    }
    switch start {
    case .local(let date, let time):
      startDate = date
      wallTime = time
      firstInstant = clock.instant(on: date, at: time)
    case .instant(let instant):
      let first: Date
      switch rule {
      case .daily, .weekdays, .weekly:
        first = Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 60).rounded(.up) * 60)
      case .once, .every:
        first = instant
      }
      startDate = clock.localDate(of: first)
      wallTime = clock.wallTime(of: first)
      firstInstant = first
    }
    if let until, until < startDate { throw .untilBeforeStart(until: until, start: startDate) }
    self.start = start
    self.repeatRule = rule
    self.until = until
    self.clock = clock
  }

  /// "daily at 02:30 from 2026-03-01 until 2026-06-30 (America/New_York)", for listings.
  public var description: String {
    let end = until.map { " until \($0)" } ?? ""
    return "\(repeatRule) at \(wallTime) from \(startDate)\(end) (\(timeZone.identifier))"
  }

  public static func == (a: Schedule, b: Schedule) -> Bool {
    a.start == b.start && a.repeatRule == b.repeatRule && a.until == b.until && a.timeZone == b.timeZone
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(start)
    hasher.combine(repeatRule)
    hasher.combine(until)
    hasher.combine(timeZone)
  }
}
