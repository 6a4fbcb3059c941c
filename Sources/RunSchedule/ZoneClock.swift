import Foundation

/// The local clock of one time zone: which local date an instant falls on, and which
/// instant a wall time on a local date means.
///
/// Daylight saving is settled here, once, for every schedule:
/// - A wall time that does not exist that night (02:30 when the clock jumps from 02:00
///   to 03:00) is read with the offset in force before the jump, which puts it the same
///   distance past the gap: 02:30 becomes 03:30 daylight time. Other nights it is 02:30.
/// - A wall time that happens twice (01:30 when the clock falls back from 02:00 to 01:00)
///   means its first occurrence, the one still on daylight time.
/// So every local date has exactly one instant for each wall time.
public struct ZoneClock: Sendable {
  public let timeZone: TimeZone
  let calendar: Calendar

  public init(timeZone: TimeZone) {
    self.timeZone = timeZone
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    self.calendar = calendar
  }

  /// The local date, in this zone, that `instant` falls on.
  public func localDate(of instant: Date) -> LocalDate {
    LocalDate(components: calendar.dateComponents([.year, .month, .day], from: instant))
  }

  /// The local wall time of `instant`, to the minute (seconds dropped).
  public func wallTime(of instant: Date) -> WallTime {
    let components = calendar.dateComponents([.hour, .minute], from: instant)
    return try! WallTime(hour: components.hour!, minute: components.minute!)
  }

  /// The one instant that `time` on `date` means in this zone, under the rules above.
  public func instant(on date: LocalDate, at time: WallTime) -> Date {
    // Foundation's own search, from the last second of the day before: the first
    // instant showing the wall time, or, in a gap, the time as far past it
    // (.nextTimePreservingSmallerComponents); of two, the first (.first).
    let day = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
    return calendar.nextDate(
      after: day.addingTimeInterval(-1), matching: DateComponents(hour: time.hour, minute: time.minute),
      matchingPolicy: .nextTimePreservingSmallerComponents, repeatedTimePolicy: .first, direction: .forward)!
  }

}

extension ZoneClock {
  /// The clock of a zone named by its identifier ("America/New_York"); fails for a name
  /// Foundation's time zone database does not know.
  public init(identifier: String) throws(ScheduleError) {
    guard let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
    self.init(timeZone: zone)
  }
}
