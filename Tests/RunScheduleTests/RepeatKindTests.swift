import Foundation
import Testing

@testable import RunSchedule

// An ordinary week with no clock change: Monday 2026-04-13 to Sunday 2026-04-19 in
// New York, on EDT (-04:00) throughout, so 09:00 local is 13:00Z.

@Suite("Repeat kinds over an ordinary week")
struct RepeatKindTests {
  let weekStart = utc("2026-04-13T04:00:00Z")  // Monday 00:00 EDT
  let weekEnd = utc("2026-04-20T03:59:59Z")  // Sunday 23:59:59 EDT

  @Test("once: one run at the start, nothing after")
  func once() throws {
    let s = try schedule("once", at: "09:00", from: "2026-04-15")
    #expect(iso(s.runs(from: weekStart, through: weekEnd)) == ["2026-04-15T13:00:00Z"])
    #expect(iso(s.nextRun(after: weekStart)) == "2026-04-15T13:00:00Z")
    #expect(s.nextRun(after: utc("2026-04-15T13:00:00Z")) == nil)
  }

  @Test("daily: every day at the wall time")
  func daily() throws {
    let s = try schedule("daily", at: "09:00", from: "2026-04-13")
    #expect(
      iso(s.runs(from: weekStart, through: weekEnd)) == [
        "2026-04-13T13:00:00Z", "2026-04-14T13:00:00Z", "2026-04-15T13:00:00Z", "2026-04-16T13:00:00Z",
        "2026-04-17T13:00:00Z", "2026-04-18T13:00:00Z", "2026-04-19T13:00:00Z",
      ])
  }

  @Test("weekdays: Monday to Friday only")
  func weekdays() throws {
    let s = try schedule("weekdays", at: "09:00", from: "2026-04-13")
    #expect(
      iso(s.runs(from: weekStart, through: weekEnd)) == [
        "2026-04-13T13:00:00Z", "2026-04-14T13:00:00Z", "2026-04-15T13:00:00Z", "2026-04-16T13:00:00Z",
        "2026-04-17T13:00:00Z",
      ])
  }

  @Test("weekdays starting on a Saturday first runs on Monday")
  func weekdaysFromSaturday() throws {
    let s = try schedule("weekdays", at: "09:00", from: "2026-04-18")
    #expect(iso(s.nextRun(after: weekStart)) == "2026-04-20T13:00:00Z")
  }

  @Test("weekly with several days, over two weeks")
  func weeklySeveralDays() throws {
    let s = try schedule("weekly:mon,wed,fri", at: "09:00", from: "2026-04-13")
    #expect(
      iso(s.runs(from: weekStart, through: utc("2026-04-27T03:59:59Z"))) == [
        "2026-04-13T13:00:00Z", "2026-04-15T13:00:00Z", "2026-04-17T13:00:00Z",
        "2026-04-20T13:00:00Z", "2026-04-22T13:00:00Z", "2026-04-24T13:00:00Z",
      ])
  }

  @Test("weekly starting mid-week, with the weekend")
  func weeklyMidWeek() throws {
    let s = try schedule("weekly:sun,thu,sat", at: "18:45", from: "2026-04-17")  // a Friday
    #expect(
      iso(s.runs(from: weekStart, through: utc("2026-04-27T03:59:59Z"))) == [
        "2026-04-18T22:45:00Z", "2026-04-19T22:45:00Z", "2026-04-23T22:45:00Z", "2026-04-25T22:45:00Z",
        "2026-04-26T22:45:00Z",
      ])
  }

  @Test("weekly on one day: the next run is a week on")
  func weeklyOneDay() throws {
    let s = try schedule("weekly:wednesday", at: "09:00", from: "2026-04-13")
    #expect(iso(s.nextRun(after: utc("2026-04-15T13:00:00Z"))) == "2026-04-22T13:00:00Z")
  }

  @Test("every:30m: elapsed half hours from the first run, both ends of the window included")
  func everyHalfHour() throws {
    let s = try schedule("every:30m", at: "09:00", from: "2026-04-13")
    #expect(
      iso(s.runs(from: utc("2026-04-13T13:00:00Z"), through: utc("2026-04-13T15:00:00Z"))) == [
        "2026-04-13T13:00:00Z", "2026-04-13T13:30:00Z", "2026-04-13T14:00:00Z", "2026-04-13T14:30:00Z",
        "2026-04-13T15:00:00Z",
      ])
    #expect(iso(s.nextRun(after: utc("2026-04-16T10:10:00Z"))) == "2026-04-16T10:30:00Z")
    #expect(iso(s.nextRun(after: weekStart)) == "2026-04-13T13:00:00Z")
  }

  @Test("every:1h30m and every:1d")
  func everyOther() throws {
    let ninety = try schedule("every:1h30m", at: "09:00", from: "2026-04-13")
    #expect(
      iso(ninety.runs(from: weekStart, through: utc("2026-04-13T17:30:00Z"))) == [
        "2026-04-13T13:00:00Z", "2026-04-13T14:30:00Z", "2026-04-13T16:00:00Z", "2026-04-13T17:30:00Z",
      ])
    let day = try schedule("every:1d", at: "09:00", from: "2026-04-13")
    #expect(iso(day.runs(from: weekStart, through: utc("2026-04-15T13:00:00Z"))).count == 3)
  }

  @Test("nextRun is strictly after; runs(from:through:) includes both ends")
  func bounds() throws {
    let s = try schedule("daily", at: "09:00", from: "2026-04-13")
    let run = utc("2026-04-14T13:00:00Z")
    #expect(iso(s.nextRun(after: run)) == "2026-04-15T13:00:00Z")
    #expect(iso(s.nextRun(after: run.addingTimeInterval(-1))) == "2026-04-14T13:00:00Z")
    #expect(iso(s.runs(from: run, through: run)) == ["2026-04-14T13:00:00Z"])
    #expect(s.runs(from: run.addingTimeInterval(1), through: utc("2026-04-15T12:59:59Z")).isEmpty)
  }

  @Test("nothing runs before the start")
  func beforeStart() throws {
    let s = try schedule("daily", at: "09:00", from: "2026-04-15")
    #expect(iso(s.runs(from: weekStart, through: utc("2026-04-16T13:00:00Z"))) == ["2026-04-15T13:00:00Z", "2026-04-16T13:00:00Z"])
  }
}

@Suite("until is an inclusive local date")
struct UntilTests {
  @Test("daily: the until date still runs, the day after does not")
  func daily() throws {
    let s = try schedule("daily", at: "09:00", from: "2026-04-13", until: "2026-04-15")
    #expect(
      iso(s.runs(from: utc("2026-04-01T00:00:00Z"), through: utc("2026-05-01T00:00:00Z"))) == [
        "2026-04-13T13:00:00Z", "2026-04-14T13:00:00Z", "2026-04-15T13:00:00Z",
      ])
    #expect(s.nextRun(after: utc("2026-04-15T13:00:00Z")) == nil)
  }

  @Test("every: runs late on the until date count though UTC is already the next day")
  func everyLocal() throws {
    let s = try schedule("every:1h", at: "22:00", from: "2026-04-13", until: "2026-04-13")
    // 22:00 and 23:00 EDT on the 13th are 02:00Z and 03:00Z on the 14th; 00:00 EDT on the 14th is not a run.
    #expect(
      iso(s.runs(from: utc("2026-04-13T00:00:00Z"), through: utc("2026-04-15T00:00:00Z"))) == [
        "2026-04-14T02:00:00Z", "2026-04-14T03:00:00Z",
      ])
  }

  @Test("weekly: until falls between run days")
  func weekly() throws {
    let s = try schedule("weekly:mon,fri", at: "09:00", from: "2026-04-13", until: "2026-04-23")
    #expect(
      iso(s.runs(from: utc("2026-04-01T00:00:00Z"), through: utc("2026-06-01T00:00:00Z"))) == [
        "2026-04-13T13:00:00Z", "2026-04-17T13:00:00Z", "2026-04-20T13:00:00Z",
      ])
  }

  @Test("once on its until date runs")
  func once() throws {
    let s = try schedule("once", at: "23:59", from: "2026-04-13", until: "2026-04-13")
    #expect(iso(s.nextRun(after: utc("2026-04-01T00:00:00Z"))) == "2026-04-14T03:59:00Z")
  }
}

@Suite("Starting from an instant")
struct InstantStartTests {
  @Test("daily takes the instant's local date and wall time")
  func daily() throws {
    let s = try Schedule(start: .instant(utc("2026-04-13T13:00:00Z")), repeat: .daily, timeZone: newYork)
    #expect(s.wallTime.description == "09:00" && s.startDate.description == "2026-04-13")
    #expect(
      iso(s.runs(from: utc("2026-04-01T00:00:00Z"), through: utc("2026-04-15T13:00:00Z"))) == [
        "2026-04-13T13:00:00Z", "2026-04-14T13:00:00Z", "2026-04-15T13:00:00Z",
      ])
  }

  @Test("an instant within a minute starts a calendar rule at the next whole minute, the same day")
  func roundedUpToTheMinute() throws {
    let s = try Schedule(start: .instant(utc("2026-04-13T13:00:30Z")), repeat: .daily, timeZone: newYork)
    #expect(s.wallTime.description == "09:01" && s.startDate.description == "2026-04-13")
    #expect(iso(s.nextRun(after: utc("2026-04-01T00:00:00Z"))) == "2026-04-13T13:01:00Z")
    #expect(iso(s.nextRun(after: utc("2026-04-13T13:01:00Z"))) == "2026-04-14T13:01:00Z")
  }

  @Test("once and every run at the exact instant")
  func exact() throws {
    let once = try Schedule(start: .instant(utc("2026-04-13T13:00:30Z")), repeat: .once, timeZone: newYork)
    #expect(iso(once.runs(from: utc("2026-04-01T00:00:00Z"), through: utc("2026-05-01T00:00:00Z"))) == ["2026-04-13T13:00:30Z"])
    let every = try Schedule(start: .instant(utc("2026-04-13T13:00:30Z")), repeat: .every(seconds: 600), timeZone: newYork)
    #expect(iso(every.nextRun(after: utc("2026-04-13T13:00:30Z"))) == "2026-04-13T13:10:30Z")
  }
}
