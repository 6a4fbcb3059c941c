import Foundation
import Testing

@testable import RunSchedule

// Summer 2026 is on EDT (-04:00) in New York and BST (+01:00) in London, so local midnight
// of 2026-06-15 is 04:00Z in New York and 2026-06-14T23:00Z in London.

@Suite("Blackouts")
struct BlackoutTests {
  let summer = try! Blackout(name: "summer", parsing: "2026-06-15..2026-08-20")
  let christmas = try! Blackout(name: "christmas", parsing: "2026-12-25")

  func calendar(_ zone: String) -> BlackoutCalendar {
    BlackoutCalendar([summer, christmas], clock: try! ZoneClock(identifier: zone))
  }

  @Test(
    "first and last days are included, edges at local midnight in New York",
    arguments: [
      ("2026-06-15T03:59:59Z", nil),  // 06-14 23:59:59 EDT, though already the 15th in UTC
      ("2026-06-15T04:00:00Z", "summer"),  // 06-15 00:00 EDT, the first day
      ("2026-07-04T16:00:00Z", "summer"),
      ("2026-08-21T03:59:59Z", "summer"),  // 08-20 23:59:59 EDT, the last day, though the 21st in UTC
      ("2026-08-21T04:00:00Z", nil),  // 08-21 00:00 EDT
      ("2026-12-25T04:59:59Z", nil),  // 12-24 23:59:59 EST
      ("2026-12-25T05:00:00Z", "christmas"),  // a one-day blackout, on EST
      ("2026-12-26T04:59:59Z", "christmas"),
      ("2026-12-26T05:00:00Z", nil),
    ] as [(String, String?)])
  func newYorkEdges(instant: String, expected: String?) {
    #expect(calendar(newYork).blackout(at: utc(instant))?.name == expected)
    #expect(calendar(newYork).isBlackedOut(utc(instant)) == (expected != nil))
  }

  @Test(
    "the same instants read in London's zone",
    arguments: [
      ("2026-06-14T22:59:59Z", nil),  // 06-14 23:59:59 BST
      ("2026-06-14T23:00:00Z", "summer"),  // 06-15 00:00 BST, though the 14th in UTC
      ("2026-06-15T03:59:59Z", "summer"),
      ("2026-08-20T22:59:59Z", "summer"),  // 08-20 23:59:59 BST
      ("2026-08-20T23:00:00Z", nil),  // 08-21 00:00 BST
      ("2026-08-21T03:59:59Z", nil),
    ] as [(String, String?)])
  func londonEdges(instant: String, expected: String?) {
    #expect(calendar(london).blackout(at: utc(instant))?.name == expected)
  }

  @Test("a blackout on the spring-forward date lasts 23 hours")
  func shortDay() throws {
    let sunday = try Blackout(name: "change", parsing: "2026-03-08")
    let calendar = BlackoutCalendar([sunday], clock: try ZoneClock(identifier: newYork))
    #expect(!calendar.isBlackedOut(utc("2026-03-08T04:59:59Z")))  // 03-07 23:59:59 EST
    #expect(calendar.isBlackedOut(utc("2026-03-08T05:00:00Z")))  // 03-08 00:00 EST
    #expect(calendar.isBlackedOut(utc("2026-03-09T03:59:59Z")))  // 03-08 23:59:59 EDT
    #expect(!calendar.isBlackedOut(utc("2026-03-09T04:00:00Z")))  // 03-09 00:00 EDT
  }

  @Test("overlapping blackouts: the first listed is named")
  func overlap() throws {
    let july = try Blackout(name: "july", parsing: "2026-07-01..2026-07-31")
    let clock = try ZoneClock(identifier: newYork)
    #expect(BlackoutCalendar([july, summer], clock: clock).blackout(at: utc("2026-07-10T12:00:00Z"))?.name == "july")
    #expect(BlackoutCalendar([summer, july], clock: clock).blackout(at: utc("2026-07-10T12:00:00Z"))?.name == "summer")
    #expect(BlackoutCalendar([], clock: clock).blackout(at: utc("2026-07-10T12:00:00Z")) == nil)
  }

  @Test("a daily 23:30 run: which runs the summer blackout skips")
  func appliedToRuns() throws {
    let s = try schedule("daily", at: "23:30", from: "2026-06-13")
    let runs = s.runs(from: utc("2026-06-13T00:00:00Z"), through: utc("2026-06-17T00:00:00Z"))
    // 23:30 EDT on 06-13, 06-14 and 06-15.
    #expect(iso(runs) == ["2026-06-14T03:30:00Z", "2026-06-15T03:30:00Z", "2026-06-16T03:30:00Z"])
    // The 14th's run is skipped by nobody, though it is already the 15th in UTC; the 15th's is.
    #expect(runs.map { calendar(newYork).isBlackedOut($0) } == [false, false, true])
  }
}
