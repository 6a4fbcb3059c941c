import Foundation

/// A calendar date with no time zone attached (a day on the profile's local calendar),
/// used for start dates, `until` and blackouts. Always a date that exists in the
/// Gregorian calendar.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// Fails for a date that does not exist, such as 2026-02-30.
  public init(year: Int, month: Int, day: Int) throws(ScheduleError) {
    let text = "\(year)-\(twoDigits(month))-\(twoDigits(day))"
    guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else {
      throw .invalidDate(text)
    }
    // Calendar normalizes 02-30 to 03-02; a date is real only if it survives the round trip.
    let components = DateComponents(year: year, month: month, day: day, hour: 12)
    guard let noon = civilCalendar.date(from: components),
      civilCalendar.dateComponents([.year, .month, .day], from: noon)
        == DateComponents(year: year, month: month, day: day)
    else { throw .invalidDate(text) }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses "YYYY-MM-DD" (ISO 8601 calendar date, exactly that shape).
  public init(parsing text: String) throws(ScheduleError) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { throw .invalidDate(text) }
    do { try self.init(year: year, month: month, day: day) } catch { throw .invalidDate(text) }
  }

  /// "YYYY-MM-DD", which `init(parsing:)` reads back.
  public var description: String { "\(year)-\(twoDigits(month))-\(twoDigits(day))" }

  /// The date `days` later (earlier when negative), by calendar days.
  public func adding(days: Int) -> LocalDate {
    let moved = civilCalendar.date(byAdding: .day, value: days, to: noonUTC)!
    return LocalDate(civil: moved)
  }

  /// The day of the week this date falls on.
  public var weekday: Weekday { Weekday(rawValue: civilCalendar.component(.weekday, from: noonUTC))! }

  public static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

  // Civil dates are stepped in a UTC calendar: date arithmetic on days does not depend on
  // any zone, and UTC has no midnight that is skipped.
  var noonUTC: Date { civilCalendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))! }

  init(civil date: Date) { self.init(components: civilCalendar.dateComponents([.year, .month, .day], from: date)) }

  /// Components known to come from a Calendar, so already valid.
  init(components: DateComponents) {
    year = components.year!
    month = components.month!
    day = components.day!
  }
}

/// The Gregorian calendar in UTC, for arithmetic on dates without a zone.
let civilCalendar: Calendar = {
  var calendar = Calendar(identifier: .gregorian)
  calendar.timeZone = TimeZone(secondsFromGMT: 0)!
  return calendar
}()
