import Foundation
import RecordStream
import RunSchedule

/// What `schedule add` said, kept as the schedule's text in the history: the first
/// local date and wall time, the repeat rule and the last date, always read in the
/// profile's time zone.
public struct ScheduleSpec: Equatable, Sendable {
  public var date: String
  public var time: String
  public var repeatRule: String
  public var until: String?
  /// An exact first instant (ISO 8601), for `--at +10m`; then date and time are its
  /// local reading, for listings.
  public var instant: String?

  public init(date: String, time: String, repeatRule: String, until: String?, instant: String? = nil) {
    self.date = date
    self.time = time
    self.repeatRule = repeatRule
    self.until = until
    self.instant = instant
  }

  /// Read back from the history, through the project's one JSON reader.
  public init(text: String) throws {
    guard case .object(let object) = try JSONParser.parse(text) else {
      throw RecordError("E_SCHEDULE", "a schedule's text is not a JSON object", field: nil)
    }
    func optional(_ key: String) throws(RecordError) -> String? {
      let value = try object.string(key)
      return value.isEmpty ? nil : value
    }
    date = try object.string("date")
    time = try object.string("time")
    repeatRule = try object.string("repeatRule")
    until = try optional("until")
    instant = try optional("instant")
  }

  /// Keys in order, as the history has always kept them.
  public var text: String {
    var members: [(key: String, value: JSONValue)] = [("date", .string(date))]
    if let instant { members.append(("instant", .string(instant))) }
    members.append(("repeatRule", .string(repeatRule)))
    members.append(("time", .string(time)))
    if let until { members.append(("until", .string(until))) }
    return JSONWriter.string(.object(JSONObject(members)))
  }

  public func schedule(timeZone: String) throws -> Schedule {
    let start: Schedule.Start
    if let instant, let first = ISO8601DateFormatter().date(from: instant) {
      start = .instant(first)
    } else {
      start = .local(date: try LocalDate(parsing: date), time: try WallTime(parsing: time))
    }
    return try Schedule(
      start: start,
      repeat: try RepeatRule(parsing: repeatRule), until: try until.map { try LocalDate(parsing: $0) },
      timeZone: timeZone)
  }

  /// The first run of `--at +N`: N a whole number of minutes (+10m, +2h) starts at the
  /// first whole minute at least N from `now`, as cron's ticks come at whole minutes; N
  /// with seconds (+30s) starts at that second (whole: ISO 8601 in the spec has none smaller).
  public static func relativeStart(_ seconds: Double, after now: Date) -> Date {
    let step = seconds.truncatingRemainder(dividingBy: 60) == 0 ? 60.0 : 1.0
    return Date(timeIntervalSince1970: ((now.timeIntervalSince1970 + seconds) / step).rounded(.up) * step)
  }

  /// For listings: "daily at 02:30 from 2026-11-30 until 2027-06-01".
  public var description: String {
    let time = self.time + startSeconds
    let rule = repeatRule == "once" ? "once, on \(date) at \(time)" : "\(repeatRule) at \(time) from \(date)"
    return rule + (until.map { " until \($0)" } ?? "")
  }

  /// ":25" for a start at a second that is not a whole minute (`--at +30s`, once or
  /// every; calendar rules run at the whole minute after it).
  var startSeconds: String {
    guard let instant, let first = ISO8601DateFormatter().date(from: instant),
      repeatRule == "once" || repeatRule.hasPrefix("every")
    else { return "" }
    let seconds = Int(first.timeIntervalSince1970) % 60  // zones are whole minutes from UTC
    return seconds == 0 ? "" : (seconds < 10 ? ":0\(seconds)" : ":\(seconds)")
  }
}
