import Foundation

/// A profile's blackouts, read in the profile's time zone: an instant is blacked out
/// when its local date there falls in one of them.
public struct BlackoutCalendar: Sendable {
  public let blackouts: [Blackout]
  public let clock: ZoneClock

  public init(_ blackouts: [Blackout], clock: ZoneClock) {
    self.blackouts = blackouts
    self.clock = clock
  }

  /// The blackout `instant` falls in, the first listed if several overlap; nil if none.
  public func blackout(at instant: Date) -> Blackout? {
    let date = clock.localDate(of: instant)
    return blackouts.first { $0.contains(date) }
  }

  /// Whether `instant` falls in any blackout.
  public func isBlackedOut(_ instant: Date) -> Bool { blackout(at: instant) != nil }
}
