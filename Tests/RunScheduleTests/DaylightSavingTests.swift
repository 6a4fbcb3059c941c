import Foundation
import Testing

@testable import RunSchedule

// The 2026 clock changes used here (zdump):
// New York, Sun 2026-03-08: 02:00 EST (-05:00) jumps to 03:00 EDT (-04:00), at 07:00Z.
// New York, Sun 2026-11-01: 02:00 EDT falls back to 01:00 EST, at 06:00Z; 01:00-01:59 happens twice.
// London, Sun 2026-03-29: 01:00 GMT jumps to 02:00 BST (+01:00), at 01:00Z.
// London, Sun 2026-10-25: 02:00 BST falls back to 01:00 GMT, at 01:00Z; 01:00-01:59 happens twice.

struct DailyCase: Sendable, CustomTestStringConvertible {
  let zone: String
  let time: String
  let from: String  // the day before the change
  let runs: [String]  // the day before, the day of, the day after
  let readings: [String]  // the same runs on the local clock
  var testDescription: String { "\(zone) daily at \(time) from \(from)" }
}

let dailyCases: [DailyCase] = [
  // New York, spring forward: 02:30 does not exist on the 8th, so it runs at 03:30 EDT.
  .init(zone: newYork, time: "02:30", from: "2026-03-07",
        runs: ["2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"],
        readings: ["02:30", "03:30", "02:30"]),
  .init(zone: newYork, time: "01:30", from: "2026-03-07",
        runs: ["2026-03-07T06:30:00Z", "2026-03-08T06:30:00Z", "2026-03-09T05:30:00Z"],
        readings: ["01:30", "01:30", "01:30"]),
  .init(zone: newYork, time: "00:30", from: "2026-03-07",
        runs: ["2026-03-07T05:30:00Z", "2026-03-08T05:30:00Z", "2026-03-09T04:30:00Z"],
        readings: ["00:30", "00:30", "00:30"]),
  // New York, fall back: 01:30 happens twice on 11-01; it runs once, at 01:30 EDT (05:30Z), not 06:30Z.
  .init(zone: newYork, time: "02:30", from: "2026-10-31",
        runs: ["2026-10-31T06:30:00Z", "2026-11-01T07:30:00Z", "2026-11-02T07:30:00Z"],
        readings: ["02:30", "02:30", "02:30"]),
  .init(zone: newYork, time: "01:30", from: "2026-10-31",
        runs: ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"],
        readings: ["01:30", "01:30", "01:30"]),
  .init(zone: newYork, time: "00:30", from: "2026-10-31",
        runs: ["2026-10-31T04:30:00Z", "2026-11-01T04:30:00Z", "2026-11-02T05:30:00Z"],
        readings: ["00:30", "00:30", "00:30"]),
  // London, spring forward: 01:30 does not exist on the 29th, so it runs at 02:30 BST.
  .init(zone: london, time: "02:30", from: "2026-03-28",
        runs: ["2026-03-28T02:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T01:30:00Z"],
        readings: ["02:30", "02:30", "02:30"]),
  .init(zone: london, time: "01:30", from: "2026-03-28",
        runs: ["2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"],
        readings: ["01:30", "02:30", "01:30"]),
  .init(zone: london, time: "00:30", from: "2026-03-28",
        runs: ["2026-03-28T00:30:00Z", "2026-03-29T00:30:00Z", "2026-03-29T23:30:00Z"],
        readings: ["00:30", "00:30", "00:30"]),
  // London, fall back: 01:30 happens twice on 10-25; it runs once, at 01:30 BST (00:30Z).
  .init(zone: london, time: "02:30", from: "2026-10-24",
        runs: ["2026-10-24T01:30:00Z", "2026-10-25T02:30:00Z", "2026-10-26T02:30:00Z"],
        readings: ["02:30", "02:30", "02:30"]),
  .init(zone: london, time: "01:30", from: "2026-10-24",
        runs: ["2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
        readings: ["01:30", "01:30", "01:30"]),
  .init(zone: london, time: "00:30", from: "2026-10-24",
        runs: ["2026-10-23T23:30:00Z", "2026-10-24T23:30:00Z", "2026-10-26T00:30:00Z"],
        readings: ["00:30", "00:30", "00:30"]),
]

@Suite("Daylight saving: daily runs")
struct DailyDaylightSavingTests {
  @Test("one run a day across the change, at the documented instant", arguments: dailyCases)
  func acrossTheChange(_ c: DailyCase) throws {
    let s = try schedule("daily", at: c.time, from: c.from, zone: c.zone)
    // Three local days, from 10:00Z the day before the first to well before the fourth run.
    let window = s.runs(from: utc("\(c.from)T00:00:00Z").addingTimeInterval(-14 * 3600),
                        through: utc(c.runs[2]).addingTimeInterval(12 * 3600))
    #expect(iso(window) == c.runs)
    #expect(readings(window, in: c.zone) == c.readings)
    // The same runs one at a time, as the daemon asks for them.
    let stepped = [s.nextRun(after: utc(c.runs[0]).addingTimeInterval(-1))!, s.nextRun(after: utc(c.runs[0]))!,
                   s.nextRun(after: utc(c.runs[1]))!]
    #expect(iso(stepped) == c.runs)
  }

  @Test(
    "a whole year: exactly one run on every local date, at the wall time except when skipped",
    arguments: [newYork, london], ["00:30", "01:30", "02:30"])
  func wholeYear(zone: String, time: String) throws {
    let s = try schedule("daily", at: time, from: "2026-01-01", until: "2026-12-31", zone: zone)
    let runs = s.runs(from: utc("2025-12-01T00:00:00Z"), through: utc("2027-02-01T00:00:00Z"))
    #expect(runs.count == 365)
    let clock = try ZoneClock(identifier: zone)
    var day = try LocalDate(parsing: "2026-01-01")
    for run in runs {
      #expect(clock.localDate(of: run) == day)
      day = day.adding(days: 1)
    }
    // Only the spring-forward night moves the reading; fall-back keeps it (the first 01:30).
    let moved = zip(runs, readings(runs, in: zone)).filter { $0.1 != time }.map { iso($0.0) }
    let skipped = ["America/New_York 02:30": ["2026-03-08T07:30:00Z"], "Europe/London 01:30": ["2026-03-29T01:30:00Z"]]
    #expect(moved == skipped["\(zone) \(time)", default: []])
  }

  @Test("never twice in the fall-back hour: after the first 01:30 the next run is tomorrow")
  func noSecondOccurrence() throws {
    let s = try schedule("daily", at: "01:30", from: "2026-10-01")
    #expect(iso(s.nextRun(after: utc("2026-11-01T05:30:00Z"))) == "2026-11-02T06:30:00Z")
    // 01:00 EST, in the repeated hour, the first 01:30 already past.
    #expect(iso(s.nextRun(after: utc("2026-11-01T06:00:00Z"))) == "2026-11-02T06:30:00Z")
    // Asked just before the first 01:30 EDT, that is the one.
    #expect(iso(s.nextRun(after: utc("2026-11-01T05:29:00Z"))) == "2026-11-01T05:30:00Z")
  }

  @Test("asked during the gap night, 02:30 is still ahead, at 03:30 EDT")
  func askedInTheGap() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-03-01")
    #expect(iso(s.nextRun(after: utc("2026-03-08T06:59:59Z"))) == "2026-03-08T07:30:00Z")  // 01:59:59 EST
    #expect(iso(s.nextRun(after: utc("2026-03-08T07:00:00Z"))) == "2026-03-08T07:30:00Z")  // 03:00 EDT
    #expect(iso(s.nextRun(after: utc("2026-03-08T07:30:00Z"))) == "2026-03-09T06:30:00Z")
  }

  @Test("a schedule that starts on the gap night starts at 03:30 EDT")
  func startsInTheGap() throws {
    let s = try schedule("once", at: "02:30", from: "2026-03-08")
    #expect(iso(s.firstInstant) == "2026-03-08T07:30:00Z")
    let fallBack = try schedule("once", at: "01:30", from: "2026-11-01")
    #expect(iso(fallBack.firstInstant) == "2026-11-01T05:30:00Z")
  }
}

@Suite("Daylight saving: weekdays and weekly")
struct WeekdaysDaylightSavingTests {
  @Test("weekdays at 02:30 across the New York spring-forward weekend")
  func springWeekend() throws {
    let s = try schedule("weekdays", at: "02:30", from: "2026-03-05")
    #expect(
      iso(s.runs(from: utc("2026-03-05T00:00:00Z"), through: utc("2026-03-10T23:00:00Z"))) == [
        "2026-03-05T07:30:00Z", "2026-03-06T07:30:00Z",  // Thu, Fri on EST
        "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z",  // Mon, Tue on EDT
      ])
  }

  @Test("weekdays at 01:30 across the New York fall-back weekend")
  func fallWeekend() throws {
    let s = try schedule("weekdays", at: "01:30", from: "2026-10-29")
    #expect(
      iso(s.runs(from: utc("2026-10-29T00:00:00Z"), through: utc("2026-11-03T23:00:00Z"))) == [
        "2026-10-29T05:30:00Z", "2026-10-30T05:30:00Z",  // Thu, Fri on EDT
        "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z",  // Mon, Tue on EST
      ])
  }

  @Test("weekdays across the London weekends")
  func londonWeekends() throws {
    let spring = try schedule("weekdays", at: "01:30", from: "2026-03-27", zone: london)
    #expect(
      iso(spring.runs(from: utc("2026-03-27T00:00:00Z"), through: utc("2026-03-30T23:00:00Z"))) == [
        "2026-03-27T01:30:00Z", "2026-03-30T00:30:00Z",
      ])
    let fall = try schedule("weekdays", at: "09:00", from: "2026-10-23", zone: london)
    #expect(
      iso(fall.runs(from: utc("2026-10-23T00:00:00Z"), through: utc("2026-10-26T23:00:00Z"))) == [
        "2026-10-23T08:00:00Z", "2026-10-26T09:00:00Z",
      ])
  }

  @Test("weekly on the change day itself (Sunday) in both directions")
  func weeklySunday() throws {
    let s = try schedule("weekly:sun", at: "02:30", from: "2026-03-01")
    #expect(
      iso(s.runs(from: utc("2026-03-01T00:00:00Z"), through: utc("2026-03-16T00:00:00Z"))) == [
        "2026-03-01T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-15T06:30:00Z",
      ])
    let fall = try schedule("weekly:sun", at: "01:30", from: "2026-10-25")
    #expect(
      iso(fall.runs(from: utc("2026-10-25T00:00:00Z"), through: utc("2026-11-09T00:00:00Z"))) == [
        "2026-10-25T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-08T06:30:00Z",
      ])
  }
}

@Suite("Daylight saving: every is elapsed time")
struct EveryDaylightSavingTests {
  @Test("every:6h across New York spring-forward: 6 real hours apart, the clock reading moves")
  func springForward() throws {
    let s = try schedule("every:6h", at: "20:00", from: "2026-03-07")
    let runs = s.runs(from: utc("2026-03-07T00:00:00Z"), through: utc("2026-03-09T01:00:00Z"))
    #expect(
      iso(runs) == [
        "2026-03-08T01:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T13:00:00Z", "2026-03-08T19:00:00Z",
        "2026-03-09T01:00:00Z",
      ])
    #expect(readings(runs, in: newYork) == ["20:00", "03:00", "09:00", "15:00", "21:00"])
    #expect(zip(runs, runs.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 6 * 3600 })
  }

  @Test("every:6h across New York fall-back: it may land in the repeated hour, on its second pass")
  func fallBack() throws {
    let s = try schedule("every:6h", at: "20:00", from: "2026-10-31")
    let runs = s.runs(from: utc("2026-10-31T00:00:00Z"), through: utc("2026-11-01T18:00:00Z"))
    #expect(iso(runs) == ["2026-11-01T00:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T12:00:00Z", "2026-11-01T18:00:00Z"])
    #expect(readings(runs, in: newYork) == ["20:00", "01:00", "07:00", "13:00"])  // 01:00 EST, the second 01:00
  }

  @Test("every:6h across both London changes")
  func london() throws {
    let spring = try schedule("every:6h", at: "00:00", from: "2026-03-29", zone: RunScheduleTests.london)
    let springRuns = spring.runs(from: utc("2026-03-28T00:00:00Z"), through: utc("2026-03-29T18:00:00Z"))
    #expect(iso(springRuns) == ["2026-03-29T00:00:00Z", "2026-03-29T06:00:00Z", "2026-03-29T12:00:00Z", "2026-03-29T18:00:00Z"])
    #expect(readings(springRuns, in: RunScheduleTests.london) == ["00:00", "07:00", "13:00", "19:00"])
    let fall = try schedule("every:6h", at: "00:00", from: "2026-10-25", zone: RunScheduleTests.london)
    let fallRuns = fall.runs(from: utc("2026-10-24T00:00:00Z"), through: utc("2026-10-25T18:00:00Z"))
    #expect(iso(fallRuns) == ["2026-10-24T23:00:00Z", "2026-10-25T05:00:00Z", "2026-10-25T11:00:00Z", "2026-10-25T17:00:00Z"])
    #expect(readings(fallRuns, in: RunScheduleTests.london) == ["00:00", "05:00", "11:00", "17:00"])
  }

  @Test("every starting at a skipped wall time starts past the gap")
  func startInGap() throws {
    let s = try schedule("every:1h", at: "02:30", from: "2026-03-08")
    #expect(iso(s.runs(from: utc("2026-03-08T00:00:00Z"), through: utc("2026-03-08T08:30:00Z"))) == [
      "2026-03-08T07:30:00Z", "2026-03-08T08:30:00Z",
    ])
  }

  /// Havana's clocks jump from 00:00 to 01:00 (8 March 2026): the day itself begins at
  /// 01:00, a run at 00:30 is at 01:30 that day, and later times are untouched.
  @Test("where midnight itself is skipped, the day starts past the gap")
  func midnightSkipped() throws {
    let clock = try ZoneClock(identifier: "America/Havana")
    let day = try LocalDate(parsing: "2026-03-08")
    #expect(readings([clock.instant(on: day, at: try WallTime(parsing: "00:30"))], in: "America/Havana") == ["01:30"])
    #expect(readings([clock.instant(on: day, at: try WallTime(parsing: "00:00"))], in: "America/Havana") == ["01:00"])
    #expect(readings([clock.instant(on: day, at: try WallTime(parsing: "06:00"))], in: "America/Havana") == ["06:00"])
    #expect(clock.localDate(of: clock.instant(on: day, at: try WallTime(parsing: "00:30"))) == day)
  }
}
