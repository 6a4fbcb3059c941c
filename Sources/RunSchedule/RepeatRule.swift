/// How often a schedule runs after its start.
///
/// `daily`, `weekdays` and `weekly` are calendar rules: they run at the schedule's wall
/// time on each qualifying local day, whatever daylight saving does to the clock.
/// `every` is elapsed time: every 6 hours is 6 hours of real time, so across a
/// daylight-saving change its runs move by an hour on the local clock.
public enum RepeatRule: Hashable, Sendable, CustomStringConvertible {
  /// A single run at the start.
  case once
  /// Every day at the wall time.
  case daily
  /// Monday to Friday at the wall time.
  case weekdays
  /// On the given days of the week at the wall time; never empty once parsed.
  case weekly(days: Set<Weekday>)
  /// Every `seconds` of elapsed time from the start; at least `minimumInterval`, whole minutes.
  case every(seconds: Int)

  /// The shortest `every` interval: 5 minutes.
  public static let minimumInterval = 300

  /// What `init(parsing:)` accepts, for error messages and help text.
  public static let acceptedForms =
    "once, daily, weekdays, weekly:DAYS (e.g. weekly:mon,wed,fri) "
    + "or every:INTERVAL (e.g. every:30m, every:6h, every:1d, every:1h30m; at least 5m)"

  /// The CLI spelling, which `init(parsing:)` reads back: "weekly:mon,wed,fri" lists days
  /// Monday first; "every:1h30m" uses the largest units.
  public var description: String {
    switch self {
    case .once: "once"
    case .daily: "daily"
    case .weekdays: "weekdays"
    case .weekly(let days): "weekly:" + days.sorted().map(\.description).joined(separator: ",")
    case .every(let seconds): "every:" + IntervalText.format(seconds: seconds)
    }
  }

  /// Whether a calendar rule runs on `day`; `once` and `every` do not go by days.
  func runs(on day: Weekday) -> Bool {
    switch self {
    case .daily: true
    case .weekdays: Weekday.workdays.contains(day)
    case .weekly(let days): days.contains(day)
    case .once, .every: false
    }
  }
}
