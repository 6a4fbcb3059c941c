import Foundation

/// Times for people, as a wall clock of the profile's zone reads them.
public enum LocalTime {
  /// "2026-11-30 02:30" (with the zone's abbreviation when asked: "... CST"); "-" for nil.
  public static func text(_ date: Date?, zone: String, withZone: Bool = false) -> String {
    guard let date else { return "-" }
    return format(date, zone: zone, pattern: withZone ? "yyyy-MM-dd HH:mm zzz" : "yyyy-MM-dd HH:mm")
  }

  /// A due time: to the minute, with the seconds when it has any ("2026-11-30 02:30:25"):
  /// a run listed at 02:30 is due at 02:30:00, when a tick at 02:30 finds it.
  public static func due(_ date: Date?, zone: String, withZone: Bool = false) -> String {
    guard let date else { return "-" }
    let hasSeconds = date.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) != 0
    let time = hasSeconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"
    return format(date, zone: zone, pattern: withZone ? time + " zzz" : time)
  }

  private static func format(_ date: Date, zone: String, pattern: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: zone)
    formatter.dateFormat = pattern
    return formatter.string(from: date)
  }
}
