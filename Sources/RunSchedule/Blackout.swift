/// A named period of local dates, first and last included, during which scheduled runs
/// are skipped (e.g. "summer", 2026-06-15..2026-08-20). Dates are read on the profile's
/// local calendar, so a blackout starts and ends at local midnight.
public struct Blackout: Hashable, Sendable, CustomStringConvertible {
  public let name: String
  public let first: LocalDate
  public let last: LocalDate

  /// Fails if `last` is before `first`.
  public init(name: String, first: LocalDate, last: LocalDate) throws(ScheduleError) {
    guard first <= last else {
      throw .invalidBlackout("\(first)..\(last)", reason: "the last date is before the first")
    }
    self.name = name
    self.first = first
    self.last = last
  }

  /// Parses "FIRST..LAST" ("2026-06-15..2026-08-20") or a single day ("2026-12-25").
  public init(name: String, parsing range: String) throws(ScheduleError) {
    let parts = range.trimmingSpaces.components(separatedBy: "..")
    guard (1...2).contains(parts.count) else { throw .invalidBlackout(range, reason: "more than one \"..\"") }
    let dates: [LocalDate]
    do { dates = try parts.map { (text) throws(ScheduleError) in try LocalDate(parsing: text.trimmingSpaces) } }
    catch { throw .invalidBlackout(range, reason: error.description) }
    try self.init(name: name, first: dates[0], last: dates[dates.count - 1])
  }

  /// "FIRST..LAST", which `init(name:parsing:)` reads back.
  public var range: String { "\(first)..\(last)" }

  /// "summer 2026-06-15..2026-08-20".
  public var description: String { "\(name) \(range)" }

  /// Whether the local date is in the period, ends included.
  public func contains(_ date: LocalDate) -> Bool { first <= date && date <= last }
}
