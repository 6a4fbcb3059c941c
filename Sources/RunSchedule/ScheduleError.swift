/// Why a schedule, or one of its parts, was refused. Each message names the bad input
/// and says what is accepted, so the CLI can print it as it is.
public enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidWallTime(String)
  case invalidDate(String)
  case invalidRepeat(String, reason: String)
  case intervalTooShort(seconds: Int)
  case intervalNotWholeMinutes(seconds: Int)
  case unknownTimeZone(String)
  case untilBeforeStart(until: LocalDate, start: LocalDate)
  case invalidBlackout(String, reason: String)

  public var description: String {
    switch self {
    case .invalidWallTime(let text):
      return "invalid time \"\(text)\": expected HH:MM, 24-hour, from 00:00 to 23:59"
    case .invalidDate(let text):
      return "invalid date \"\(text)\": expected a calendar date as YYYY-MM-DD, e.g. 2026-03-08"
    case .invalidRepeat(let text, let reason):
      return "invalid repeat \"\(text)\": \(reason); expected \(RepeatRule.acceptedForms)"
    case .intervalTooShort(let seconds):
      return "interval of \(seconds) seconds is too short: the shortest is every:5m"
    case .intervalNotWholeMinutes(let seconds):
      return "interval of \(seconds) seconds is not a whole number of minutes"
    case .unknownTimeZone(let identifier):
      return "unknown time zone \"\(identifier)\": expected an IANA identifier such as America/New_York or Europe/London"
    case .untilBeforeStart(let until, let start):
      return "until \(until) is before the start \(start)"
    case .invalidBlackout(let text, let reason):
      return "invalid blackout \"\(text)\": \(reason); expected FIRST..LAST as YYYY-MM-DD..YYYY-MM-DD, or one YYYY-MM-DD"
    }
  }
}
