import Foundation
import Testing
@testable import TestHarness

/// A scheduled run is listed at the time it is due, never a moment before: `--at +1m`
/// starts at a whole minute (cron ticks at whole minutes), and a due time with seconds
/// is listed with them.
@Suite(.serialized)
struct ScheduleDueTimeTests {
  static let zone = "America/Chicago"

  /// The history's due time of the newest run, and its NEXT RUN in `schedule list`.
  func dueAndListed(_ fixture: SyncFixture) throws -> (due: Date, listed: String) {
    let pending = try #require(try fixture.history().first)
    let due = try #require((pending["scheduledAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
    let list = try fixture.sync("schedule list")
    let row = try #require(list.stdout.split(separator: "\n").dropFirst().first, "\(list.stdout)")
    // "1   2026-12-06 20:44      every:10m at 20:44 from 2026-12-06": the date and time.
    let listed = row.split(separator: " ").dropFirst().prefix(2).joined(separator: " ")
    return (due, listed)
  }

  func local(_ date: Date, _ pattern: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: Self.zone)
    formatter.dateFormat = pattern
    return formatter.string(from: date)
  }

  @Test func aStartInMinutesIsDueAtTheWholeMinuteItIsListedAt() throws {
    let fixture = try SyncFixture()
    try fixture.write(zone: Self.zone)
    let before = Date()
    let added = try fixture.sync("schedule add --at +1m --repeat every:10m")
    #expect(added.status == 0, "\(added.stderr)")
    let after = Date()
    let (due, listed) = try dueAndListed(fixture)
    #expect(due.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0, "due at \(due)")
    #expect(due >= before.addingTimeInterval(60) && due <= after.addingTimeInterval(120), "due at \(due)")
    // The minute listed begins when the run is due: a tick in that minute runs it.
    #expect(listed == local(due, "yyyy-MM-dd HH:mm"), "listed \(listed), due \(due)")
    #expect(added.stdout.contains("Pending, at \(listed)\n"), "\(added.stdout)")
    #expect(added.stdout.contains("every:10m at \(local(due, "HH:mm")) from"), "\(added.stdout)")
  }

  @Test func aStartWithSecondsIsListedToTheSecondAndATickThenRunsIt() throws {
    let fixture = try SyncFixture()
    try fixture.write(zone: Self.zone)
    let added = try fixture.sync("schedule add --at +2s")
    #expect(added.status == 0, "\(added.stderr)")
    let (due, listed) = try dueAndListed(fixture)
    let seconds = due.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) != 0
    #expect(listed == local(due, seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"), "listed \(listed), due \(due)")
    #expect(added.stdout.contains("Pending, at \(listed)\n"), "\(added.stdout)")
    let history = try fixture.sync("history")
    #expect(history.stdout.contains("scheduled  \(listed)  "), "\(history.stdout)")

    usleep(UInt32(max(0, due.timeIntervalSinceNow + 0.2) * 1_000_000))
    let tick = try fixture.sync("tick")
    #expect(tick.status == 0, "\(tick.stderr)")
    #expect(try fixture.history().first?["status"] as? String == "Succeeded")
  }
}
