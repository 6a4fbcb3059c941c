import Foundation
import RunSchedule

// Expected instants are written as ISO-8601 UTC strings so a reader can check them by hand
// against the zone's offset (New York: EST -05:00, EDT -04:00; London: GMT +00:00, BST +01:00).

/// The instant named by "2026-03-08T07:30:00Z".
func utc(_ text: String) -> Date {
  try! Date(text, strategy: .iso8601)
}

/// An instant as "2026-03-08T07:30:00Z", the form expectations are written in.
func iso(_ date: Date?) -> String? { date.map { $0.formatted(.iso8601) } }

func iso(_ dates: [Date]) -> [String] { dates.map { $0.formatted(.iso8601) } }

let newYork = "America/New_York"
let london = "Europe/London"

/// A schedule from its CLI spellings: `--repeat`, `--at` and a start date.
func schedule(
  _ rule: String, at time: String, from date: String, until: String? = nil, zone: String = newYork
) throws -> Schedule {
  try Schedule(
    start: .local(date: LocalDate(parsing: date), time: WallTime(parsing: time)),
    repeat: RepeatRule(parsing: rule),
    until: until.map { (text) throws(ScheduleError) in try LocalDate(parsing: text) },
    timeZone: zone)
}

/// The local wall-clock readings ("03:30") of instants in a zone.
func readings(_ dates: [Date], in zone: String) -> [String] {
  let clock = try! ZoneClock(identifier: zone)
  return dates.map { clock.wallTime(of: $0).description }
}

/// The local dates ("2026-03-08") of instants in a zone.
func localDates(_ dates: [Date], in zone: String) -> [String] {
  let clock = try! ZoneClock(identifier: zone)
  return dates.map { clock.localDate(of: $0).description }
}
