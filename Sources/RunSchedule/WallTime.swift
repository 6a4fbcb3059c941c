/// A time of day on a local clock, to the minute, 24-hour. It names a reading of the
/// clock, not an instant: on a daylight-saving night a reading may not exist or may
/// happen twice (see `ZoneClock.instant(on:at:)`).
public struct WallTime: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let hour: Int
  public let minute: Int

  /// Fails for an hour outside 0...23 or a minute outside 0...59.
  public init(hour: Int, minute: Int) throws(ScheduleError) {
    guard (0...23).contains(hour), (0...59).contains(minute) else {
      throw .invalidWallTime("\(hour):\(minute)")
    }
    self.hour = hour
    self.minute = minute
  }

  /// Parses "HH:MM" (a one-digit hour such as "7:05" is accepted too; minutes take two digits).
  public init(parsing text: String) throws(ScheduleError) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
      let hour = Int(parts[0]), let minute = Int(parts[1])
    else { throw .invalidWallTime(text) }
    do { try self.init(hour: hour, minute: minute) } catch { throw .invalidWallTime(text) }
  }

  /// "HH:MM", which `init(parsing:)` reads back.
  public var description: String { twoDigits(hour) + ":" + twoDigits(minute) }

  public static func < (a: WallTime, b: WallTime) -> Bool { (a.hour, a.minute) < (b.hour, b.minute) }
}

extension Character {
  // `isNumber` would also accept digits of other scripts and fractions.
  var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
