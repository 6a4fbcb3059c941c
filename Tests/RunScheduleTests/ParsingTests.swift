import Foundation
import Testing

@testable import RunSchedule

// MARK: WallTime

@Suite("WallTime")
struct WallTimeTests {
  @Test(
    "HH:MM reads and prints back",
    arguments: [
      ("00:00", 0, 0, "00:00"), ("23:59", 23, 59, "23:59"), ("02:30", 2, 30, "02:30"), ("7:05", 7, 5, "07:05"),
      ("12:00", 12, 0, "12:00"),
    ])
  func parses(text: String, hour: Int, minute: Int, printed: String) throws {
    let time = try WallTime(parsing: text)
    #expect(time.hour == hour && time.minute == minute)
    #expect(time.description == printed)
    #expect(try WallTime(parsing: printed) == time)
  }

  @Test(
    "refused, with a message that says what is accepted",
    arguments: ["24:00", "12:60", "1230", "12:5", "-1:00", "ab:cd", "", " 12:00", "12:00:00", "123:00", "１２:００", "+1:00"])
  func refuses(text: String) {
    #expect(throws: ScheduleError.invalidWallTime(text)) { try WallTime(parsing: text) }
    #expect(ScheduleError.invalidWallTime(text).description == "invalid time \"\(text)\": expected HH:MM, 24-hour, from 00:00 to 23:59")
  }

  @Test("out of range components")
  func components() {
    #expect(throws: ScheduleError.self) { try WallTime(hour: 24, minute: 0) }
    #expect(throws: ScheduleError.self) { try WallTime(hour: 0, minute: -1) }
  }
}

// MARK: LocalDate

@Suite("LocalDate")
struct LocalDateTests {
  @Test("YYYY-MM-DD reads and prints back", arguments: ["2026-03-08", "2028-02-29", "2026-12-31", "2026-01-01"])
  func parses(text: String) throws {
    #expect(try LocalDate(parsing: text).description == text)
  }

  @Test(
    "refused: malformed or not a real date",
    arguments: ["2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-3-8", "26-03-08", "2026/03/08", "", "2026-03-08T00:00"])
  func refuses(text: String) {
    #expect(throws: ScheduleError.invalidDate(text)) { try LocalDate(parsing: text) }
    #expect(ScheduleError.invalidDate(text).description.contains("expected a calendar date as YYYY-MM-DD"))
  }

  @Test("weekday and day steps across month, year and leap day")
  func arithmetic() throws {
    #expect(try LocalDate(parsing: "2026-03-08").weekday == .sunday)
    #expect(try LocalDate(parsing: "2026-03-09").weekday == .monday)
    #expect(try LocalDate(parsing: "2026-02-28").adding(days: 1).description == "2026-03-01")
    #expect(try LocalDate(parsing: "2028-02-28").adding(days: 1).description == "2028-02-29")
    #expect(try LocalDate(parsing: "2026-12-31").adding(days: 1).description == "2027-01-01")
    #expect(try LocalDate(parsing: "2026-03-01").adding(days: -1).description == "2026-02-28")
  }
}

// MARK: RepeatRule

@Suite("RepeatRule parsing")
struct RepeatRuleParsingTests {
  @Test(
    "accepted spellings and their canonical description",
    arguments: [
      ("once", RepeatRule.once, "once"),
      ("daily", .daily, "daily"),
      ("DAILY", .daily, "daily"),
      (" weekdays ", .weekdays, "weekdays"),
      ("weekly:mon,wed,fri", .weekly(days: [.monday, .wednesday, .friday]), "weekly:mon,wed,fri"),
      ("weekly:Friday,MONDAY,wed", .weekly(days: [.monday, .wednesday, .friday]), "weekly:mon,wed,fri"),
      ("Weekly:sun,sat", .weekly(days: [.saturday, .sunday]), "weekly:sat,sun"),
      ("weekly:tue, thursday", .weekly(days: [.tuesday, .thursday]), "weekly:tue,thu"),
      ("weekly:mon,mon", .weekly(days: [.monday]), "weekly:mon"),
      ("every:30m", .every(seconds: 1800), "every:30m"),
      ("every:5m", .every(seconds: 300), "every:5m"),
      ("every:6h", .every(seconds: 21_600), "every:6h"),
      ("every:1d", .every(seconds: 86_400), "every:1d"),
      ("every:1h30m", .every(seconds: 5400), "every:1h30m"),
      ("every:90m", .every(seconds: 5400), "every:1h30m"),
      ("every:24h", .every(seconds: 86_400), "every:1d"),
      ("every:1d6h", .every(seconds: 108_000), "every:1d6h"),
      ("EVERY:2H", .every(seconds: 7200), "every:2h"),
    ] as [(String, RepeatRule, String)])
  func parses(text: String, rule: RepeatRule, canonical: String) throws {
    let parsed = try RepeatRule(parsing: text)
    #expect(parsed == rule)
    #expect(parsed.description == canonical)
    #expect(try RepeatRule(parsing: canonical) == rule)
  }

  @Test(
    "description round-trips for every kind",
    arguments: [
      RepeatRule.once, .daily, .weekdays, .weekly(days: Set(Weekday.allCases)), .weekly(days: [.sunday]),
      .every(seconds: 300), .every(seconds: 3600 + 60), .every(seconds: 2 * 86_400 + 3 * 3600 + 4 * 60),
    ])
  func roundTrip(rule: RepeatRule) throws {
    #expect(try RepeatRule(parsing: rule.description) == rule)
  }

  @Test(
    "refused, and the message gives the reason and what is accepted",
    arguments: [
      ("hourly", "unknown repeat kind \"hourly\""),
      ("", "unknown repeat kind \"\""),
      ("weekly", "weekly needs a value after \"weekly:\""),
      ("every", "every needs a value after \"every:\""),
      ("weekly:", "a day is missing"),
      ("weekly:mon,,fri", "a day is missing"),
      ("weekly:mon,funday", "unknown day \"funday\""),
      ("weekly:mo", "unknown day \"mo\""),
      ("daily:mon", "daily takes no value"),
      ("every:4m", "the interval is shorter than 5 minutes"),
      ("every:0m", "the interval is shorter than 5 minutes"),
      ("every:", "cannot read the interval \"\""),
      ("every:30", "cannot read the interval \"30\""),
      ("every:m", "cannot read the interval \"m\""),
      ("every:30m1h", "cannot read the interval \"30m1h\""),
      ("every:1h1h", "cannot read the interval \"1h1h\""),
      ("every:300s", "cannot read the interval \"300s\""),
      ("every:-5m", "cannot read the interval \"-5m\""),
      ("every:400d", "cannot read the interval \"400d\""),
    ])
  func refuses(text: String, reason: String) {
    #expect(throws: ScheduleError.invalidRepeat(text, reason: reason)) { try RepeatRule(parsing: text) }
    let message = ScheduleError.invalidRepeat(text, reason: reason).description
    #expect(message.contains("once, daily, weekdays, weekly:DAYS"))
    #expect(message.contains("every:1h30m"))
  }

  @Test("day names: three letters or full, any case")
  func dayNames() {
    #expect(Weekday(name: "thu") == .thursday)
    #expect(Weekday(name: "Thursday") == .thursday)
    #expect(Weekday(name: "SUN") == .sunday)
    #expect(Weekday(name: "thur") == nil)
    #expect(Weekday.allCases.map(\.description) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
  }
}

// MARK: Schedule and Blackout validation

@Suite("Schedule validation")
struct ScheduleValidationTests {
  let start = Schedule.Start.local(date: try! LocalDate(parsing: "2026-04-13"), time: try! WallTime(parsing: "09:00"))

  @Test("an unknown time zone is refused by name")
  func unknownZone() {
    #expect(throws: ScheduleError.unknownTimeZone("Mars/Olympus")) {
      try Schedule(start: start, repeat: .daily, timeZone: "Mars/Olympus")
    }
    #expect(throws: ScheduleError.unknownTimeZone("")) { try Schedule(start: start, repeat: .daily, timeZone: "") }
    #expect(ScheduleError.unknownTimeZone("Mars/Olympus").description.contains("America/New_York"))
  }

  @Test("intervals built in code are checked too")
  func intervals() {
    #expect(throws: ScheduleError.intervalTooShort(seconds: 299)) {
      try Schedule(start: start, repeat: .every(seconds: 299), timeZone: newYork)
    }
    #expect(throws: ScheduleError.intervalNotWholeMinutes(seconds: 330)) {
      try Schedule(start: start, repeat: .every(seconds: 330), timeZone: newYork)
    }
    #expect(throws: ScheduleError.invalidRepeat("weekly:", reason: "no days given")) {
      try Schedule(start: start, repeat: .weekly(days: []), timeZone: newYork)
    }
  }

  @Test("until before the start date is refused; on the start date it is fine")
  func until() throws {
    let refusal = ScheduleError.untilBeforeStart(
      until: try LocalDate(parsing: "2026-04-12"), start: try LocalDate(parsing: "2026-04-13"))
    #expect(throws: refusal) {
      try schedule("daily", at: "09:00", from: "2026-04-13", until: "2026-04-12")
    }
    _ = try schedule("daily", at: "09:00", from: "2026-04-13", until: "2026-04-13")
  }

  @Test("description for listings")
  func description() throws {
    let s = try schedule("weekly:fri,mon", at: "2:30", from: "2026-04-13", until: "2026-06-30")
    #expect(s.description == "weekly:mon,fri at 02:30 from 2026-04-13 until 2026-06-30 (America/New_York)")
  }
}

@Suite("Blackout parsing")
struct BlackoutParsingTests {
  @Test("a range, or a single day")
  func parses() throws {
    let summer = try Blackout(name: "summer", parsing: "2026-06-15..2026-08-20")
    #expect(summer.first.description == "2026-06-15" && summer.last.description == "2026-08-20")
    #expect(summer.description == "summer 2026-06-15..2026-08-20")
    #expect(try Blackout(name: "summer", parsing: summer.range) == summer)
    let christmas = try Blackout(name: "christmas", parsing: "2026-12-25")
    #expect(christmas.range == "2026-12-25..2026-12-25")
  }

  @Test(
    "refused",
    arguments: [
      ("2026-08-20..2026-06-15", "the last date is before the first"),
      ("2026-06-15..", "invalid date \"\": expected a calendar date as YYYY-MM-DD, e.g. 2026-03-08"),
      ("2026-06-15..2026-07-01..2026-08-01", "more than one \"..\""),
      ("2026-06-31..2026-07-01", "invalid date \"2026-06-31\": expected a calendar date as YYYY-MM-DD, e.g. 2026-03-08"),
    ])
  func refuses(text: String, reason: String) {
    #expect(throws: ScheduleError.invalidBlackout(text, reason: reason)) { try Blackout(name: "x", parsing: text) }
  }
}
