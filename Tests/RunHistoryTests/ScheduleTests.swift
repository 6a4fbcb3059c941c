import Foundation
import Testing

@testable import RunHistory

@Suite struct ScheduleTests {
  @Test(arguments: StoreKind.allCases) func scheduleCRUD(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let daily = try history.addSchedule(profile: "north", spec: #"{"at":"02:30","repeat":"daily"}"#, at: t(0))
    let once = try history.addSchedule(profile: "north", spec: #"{"at":"03:00"}"#, at: t(1))
    _ = try history.addSchedule(profile: "south", spec: "{}", at: t(2))
    #expect(daily.active && daily.createdAt == t(0) && daily.lastCheckedAt == nil)
    #expect(try history.schedule(daily.id) == daily)
    #expect(try history.schedules(profile: "north") == [daily, once])

    try history.updateSchedule(daily.id, spec: #"{"at":"04:00","repeat":"weekdays"}"#)
    try history.setScheduleChecked(daily.id, at: t(3600))
    let edited = try #require(try history.schedule(daily.id))
    #expect(edited.spec == #"{"at":"04:00","repeat":"weekdays"}"# && edited.lastCheckedAt == t(3600))

    // Removing a schedule cancels its Pending run and keeps both rows for the history.
    let pending = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: daily.id, scheduledAt: t(7200))
    #expect(historyError { _ = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: daily.id, scheduledAt: t(9000)) }
      == .schedulePending(daily.id, run: pending.id))
    let cancelled = try history.deactivateSchedule(daily.id, cancelPendingAt: t(4000))
    #expect(cancelled?.id == pending.id && cancelled?.status == .cancelled)
    #expect(try history.schedule(daily.id)?.active == false)
    #expect(try history.schedules(profile: "north", activeOnly: true) == [once])
    #expect(try history.schedules(profile: "north").count == 2)
    #expect(try history.run(pending.id)?.scheduleId == daily.id)

    #expect(historyError { try history.updateSchedule(daily.id, spec: "{}") } == .scheduleInactive(daily.id))
    #expect(historyError { _ = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: daily.id, scheduledAt: t(9000)) }
      == .scheduleInactive(daily.id))
    #expect(historyError { _ = try history.addPending(profile: "south", trigger: .scheduled, scheduleId: once.id, scheduledAt: t(9000)) }
      == .scheduleOfOtherProfile(once.id, profile: "north"))
    // Without cancelPendingAt the Pending run is left to the caller.
    let next = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: once.id, scheduledAt: t(9000))
    #expect(try history.deactivateSchedule(once.id) == nil)
    #expect(try history.run(next.id)?.status == .pending)

    #expect(try history.schedule(999) == nil)
    #expect(historyError { try history.updateSchedule(999, spec: "{}") } == .noSuchSchedule(999))
    #expect(historyError { try history.setScheduleChecked(999, at: t(0)) } == .noSuchSchedule(999))
    #expect(historyError { try history.deactivateSchedule(999) } == .noSuchSchedule(999))
    #expect(historyError { _ = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: 999, scheduledAt: t(0)) }
      == .noSuchSchedule(999))
  }
}
