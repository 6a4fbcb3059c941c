import Foundation
import Testing

@testable import RunSchedule

// New York in April is on EDT (-04:00): a daily 02:30 run is at 06:30Z.

@Suite("Missed runs collapse into one")
struct MissedRunPolicyTests {
  @Test("three days down: three missed daily slots give one run, the latest")
  func threeDaysDown() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-04-01")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-10T12:00:00Z"), now: utc("2026-04-13T12:00:00Z"))
    // Missed: 04-11T06:30Z, 04-12T06:30Z, 04-13T06:30Z.
    #expect(iso(decision.due) == "2026-04-13T06:30:00Z")
    #expect(decision.collapsedSlots == 3)
    #expect(iso(decision.next) == "2026-04-14T06:30:00Z")
  }

  @Test("three days down with every:6h: twelve slots, one run")
  func everySixHours() throws {
    let s = try schedule("every:6h", at: "00:00", from: "2026-04-01")  // 04:00Z, 10:00Z, 16:00Z, 22:00Z
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-10T12:00:00Z"), now: utc("2026-04-13T12:00:00Z"))
    #expect(iso(decision.due) == "2026-04-13T10:00:00Z")
    #expect(decision.collapsedSlots == 12)
    #expect(iso(decision.next) == "2026-04-13T16:00:00Z")
  }

  @Test("three days down across spring-forward")
  func acrossDaylightSaving() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-03-01")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-03-06T12:00:00Z"), now: utc("2026-03-09T12:00:00Z"))
    // Missed: 03-07T07:30Z (EST), 03-08T07:30Z (03:30 EDT), 03-09T06:30Z (EDT).
    #expect(iso(decision.due) == "2026-03-09T06:30:00Z")
    #expect(decision.collapsedSlots == 3)
    #expect(iso(decision.next) == "2026-03-10T06:30:00Z")
  }

  @Test("an ordinary tick: one slot due, nothing collapsed")
  func onTime() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-04-01")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-13T06:29:00Z"), now: utc("2026-04-13T06:30:00Z"))
    #expect(decision == .init(due: utc("2026-04-13T06:30:00Z"), collapsedSlots: 1, next: utc("2026-04-14T06:30:00Z")))
  }

  @Test("nothing due between looks")
  func nothingDue() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-04-01")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-13T07:00:00Z"), now: utc("2026-04-13T12:00:00Z"))
    #expect(decision == .init(due: nil, collapsedSlots: 0, next: utc("2026-04-14T06:30:00Z")))
  }

  @Test("a slot at exactly the last look was handled by it")
  func slotAtLastLook() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-04-01")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-13T06:30:00Z"), now: utc("2026-04-13T12:00:00Z"))
    #expect(decision.due == nil)
  }

  @Test("the clock went back: nothing due, and no slot before the last look comes round again")
  func clockWentBack() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-04-01")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-13T12:00:00Z"), now: utc("2026-04-12T12:00:00Z"))
    #expect(decision == .init(due: nil, collapsedSlots: 0, next: utc("2026-04-14T06:30:00Z")))
  }

  @Test("the schedule ended while down: its last slot runs, nothing next")
  func endedWhileDown() throws {
    let s = try schedule("daily", at: "02:30", from: "2026-04-01", until: "2026-04-12")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-10T12:00:00Z"), now: utc("2026-04-13T12:00:00Z"))
    #expect(decision == .init(due: utc("2026-04-12T06:30:00Z"), collapsedSlots: 2, next: nil))
  }

  @Test("a missed one-off run still runs once")
  func missedOnce() throws {
    let s = try schedule("once", at: "02:30", from: "2026-04-11")
    let decision = MissedRunPolicy.decide(s, lastChecked: utc("2026-04-10T12:00:00Z"), now: utc("2026-04-13T12:00:00Z"))
    #expect(decision == .init(due: utc("2026-04-11T06:30:00Z"), collapsedSlots: 1, next: nil))
  }
}
