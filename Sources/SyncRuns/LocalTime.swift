import Foundation

/// Times for people, as a wall clock of the profile's zone reads them.
public enum LocalTime {
  /// "2026-11-30 02:30" (with the zone's abbreviation when asked: "... CST"); "-" for nil.
  public static func text(_ date: Date?, zone: String, withZone: Bool = false) -> String {
    guard let date else { return "-" }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: zone)
    formatter.dateFormat = withZone ? "yyyy-MM-dd HH:mm zzz" : "yyyy-MM-dd HH:mm"
    return formatter.string(from: date)
  }
}
