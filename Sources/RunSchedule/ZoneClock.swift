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
    // The clock reading taken as if it were UTC; a real instant is this minus an offset
    // the zone actually uses at that instant.
    let reading = civilCalendar.date(
      from: DateComponents(year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute))!
    // A day either side brackets any daylight-saving change of that night.
    let offsetBefore = offset(at: civilCalendar.date(byAdding: .day, value: -1, to: reading)!)
    let offsetAfter = offset(at: civilCalendar.date(byAdding: .day, value: 1, to: reading)!)
    // An offset fits if the zone really uses it at the instant it gives.
    let matches = Set([offsetBefore, offset(at: reading), offsetAfter])
      .filter { offset(at: reading.addingTimeInterval(-Double($0))) == $0 }
      .map { reading.addingTimeInterval(-Double($0)) }
    // Twice: the earlier one. Never: the pre-jump offset, which lands past the gap.
    return matches.min() ?? reading.addingTimeInterval(-Double(offsetBefore))
  }

  func offset(at instant: Date) -> Int { timeZone.secondsFromGMT(for: instant) }
}

extension ZoneClock {
  /// The clock of a zone named by its identifier ("America/New_York"); fails for a name
  /// Foundation's time zone database does not know.
  public init(identifier: String) throws(ScheduleError) {
    guard let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
    self.init(timeZone: zone)
  }
}
