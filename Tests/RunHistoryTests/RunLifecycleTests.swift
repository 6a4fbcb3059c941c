import Foundation
import Testing

@testable import RunHistory

@Suite struct RunLifecycleTests {
  @Test(arguments: StoreKind.allCases) func pendingThenRunningThenSucceeded(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let schedule = try history.addSchedule(profile: "north", spec: "{}", at: t(0))
    let pending = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: schedule.id, scheduledAt: t(100))
    #expect(pending.status == .pending && pending.scheduledAt == t(100) && pending.startedAt == nil)
    #expect(try history.pendingRun(scheduleId: schedule.id) == pending)

    let running = try history.startPending(pending.id, pid: 4242, at: t(101))
    #expect(running.status == .running && running.pid == 4242 && running.startedAt == t(101))
    #expect(try history.running(profile: "north") == [running])
    #expect(try history.pendingRun(scheduleId: schedule.id) == nil)

    try history.setArtifacts(pending.id, "/state/runs/1")
    try history.finish(
      pending.id, status: .succeeded, at: t(130), summary: #"{"students":3}"#, uploadResult: "uploaded 5 files",
      reason: nil, uploaded: true)
    let done = try #require(try history.run(pending.id))
    #expect(done.status == .succeeded && done.endedAt == t(130) && done.uploaded)
    #expect(done.summary == #"{"students":3}"# && done.uploadResult == "uploaded 5 files")
    #expect(done.artifacts == "/state/runs/1" && done.scheduleId == schedule.id && done.trigger == .scheduled)
    #expect(try history.running(profile: "north") == [])

    #expect(historyError { try history.finish(pending.id, status: .failed, at: t(140), summary: nil, uploadResult: nil, reason: "x", uploaded: false) }
      == .notRunning(pending.id, .succeeded))
    #expect(historyError { _ = try history.startPending(pending.id, pid: 1, at: t(150)) } == .alreadyStarted(pending.id, .succeeded))
  }

  @Test(arguments: StoreKind.allCases) func finishNeedsAFinalStatusAndAnExistingRun(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let run = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0))
    #expect(historyError { try history.finish(run.id, status: .running, at: t(1), summary: nil, uploadResult: nil, reason: nil, uploaded: false) }
      == .notFinalStatus(.running))
    #expect(historyError { try history.finish(999, status: .failed, at: t(1), summary: nil, uploadResult: nil, reason: nil, uploaded: false) }
      == .noSuchRun(999))
    #expect(historyError { _ = try history.startPending(999, pid: 1, at: t(1)) } == .noSuchRun(999))
    #expect(historyError { try history.setArtifacts(999, "/x") } == .noSuchRun(999))
    #expect(try history.run(999) == nil)
  }

  @Test(arguments: StoreKind.allCases) func rescheduleAndCancelAPendingRunButNotARunningOne(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let first = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(100))
    try history.reschedulePending(first.id, to: t(200))
    #expect(try history.run(first.id)?.scheduledAt == t(200))
    try history.cancelPending(first.id, at: t(50))
    let cancelled = try #require(try history.run(first.id))
    #expect(cancelled.status == .cancelled && cancelled.endedAt == t(50))
    #expect(historyError { try history.reschedulePending(first.id, to: t(300)) } == .alreadyStarted(first.id, .cancelled))

    let second = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(100))
    _ = try history.startPending(second.id, pid: 7, at: t(100))
    #expect(historyError { try history.reschedulePending(second.id, to: t(300)) } == .alreadyStarted(second.id, .running))
    #expect(historyError { try history.cancelPending(second.id, at: t(101)) } == .alreadyStarted(second.id, .running))
    #expect(try history.run(second.id)?.status == .running)
    #expect(historyError { try history.cancelPending(999, at: t(1)) } == .noSuchRun(999))
  }

  @Test(arguments: StoreKind.allCases) func blackoutSkipsAPendingRun(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let run = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(100))
    try history.markSkipped(run.id, at: t(100), reason: "blackout: summer")
    let skipped = try #require(try history.run(run.id))
    #expect(skipped.status == .skipped && skipped.reason == "blackout: summer" && skipped.endedAt == t(100))
    #expect(historyError { try history.markSkipped(run.id, at: t(101), reason: "again") } == .alreadyStarted(run.id, .skipped))
  }

  @Test(arguments: StoreKind.allCases) func markInterruptedOnlyTouchesDeadProcesses(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let dead = try deadPid()
    let live = getpid()
    let orphan = try history.startNew(profile: "north", trigger: .manual, pid: dead, at: t(0))
    let current = try history.startNew(profile: "north", trigger: .manual, pid: live, at: t(1))
    let elsewhere = try history.startNew(profile: "south", trigger: .manual, pid: dead, at: t(2))

    let marked = try history.markInterrupted(profile: "north", at: t(10), isAlive: isAlive)
    #expect(marked.map(\.id) == [orphan.id])
    #expect(marked.first?.status == .interrupted && marked.first?.endedAt == t(10))
    #expect(marked.first?.reason == "the process (pid \(dead)) ended without finishing the run")
    #expect(try history.run(current.id)?.status == .running)
    #expect(try history.run(elsewhere.id)?.status == .running)
    // The interrupted process can't come back and rewrite the outcome.
    #expect(historyError { try history.finish(orphan.id, status: .succeeded, at: t(11), summary: nil, uploadResult: nil, reason: nil, uploaded: true) }
      == .notRunning(orphan.id, .interrupted))
    #expect(try history.markInterrupted(profile: "north", at: t(12), isAlive: isAlive) == [])
  }

  @Test(arguments: StoreKind.allCases) func runsAreListedByTheirLastActivityAndWaitingRunsLast(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let later = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(500))
    let manual = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(100))
    let earlier = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(300))
    let sameTime = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(100))
    _ = try history.startNew(profile: "south", trigger: .manual, pid: 1, at: t(1000))
    // Runs that happened, most recent first; then the waiting ones, soonest due first.
    #expect(try history.runs(profile: "north").map(\.id) == [sameTime.id, manual.id, earlier.id, later.id])
    // A future slot never hides what happened: --limit keeps the latest activity.
    #expect(try history.runs(profile: "north", limit: 1).map(\.id) == [sameTime.id])
    // A run that ends moves up by its end; a Pending run cancelled at 150 is activity at 150.
    try history.finish(manual.id, status: .failed, at: t(200), summary: nil, uploadResult: nil, reason: "x", uploaded: false)
    try history.cancelPending(later.id, at: t(150))
    #expect(try history.runs(profile: "north").map(\.id) == [manual.id, later.id, sameTime.id, earlier.id])
    #expect(try history.runs(profile: "north", limit: 1).map(\.id) == [manual.id])
    #expect(try history.pending(profile: "north").map(\.id) == [earlier.id])
  }

  @Test(arguments: StoreKind.allCases) func approvalsOfHeldRuns(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let held = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0))
    try history.finish(held.id, status: .held, at: t(10), summary: nil, uploadResult: nil, reason: "students: 30% removed", uploaded: false)
    let ok = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(20))
    try history.finish(ok.id, status: .succeeded, at: t(30), summary: nil, uploadResult: nil, reason: nil, uploaded: true)

    #expect(historyError { _ = try history.startNew(profile: "north", trigger: .approval, pid: 2, at: t(40), approvesRunId: ok.id) }
      == .notHeld(ok.id, .succeeded))
    #expect(historyError { _ = try history.startNew(profile: "south", trigger: .approval, pid: 2, at: t(40), approvesRunId: held.id) }
      == .runOfOtherProfile(held.id, profile: "north"))

    let first = try history.startNew(profile: "north", trigger: .approval, pid: 2, at: t(40), approvesRunId: held.id)
    #expect(first.approvesRunId == held.id && first.status == .running)
    #expect(historyError { _ = try history.startNew(profile: "north", trigger: .approval, pid: 3, at: t(41), approvesRunId: held.id) }
      == .alreadyApproved(held.id, by: first.id))
    // A failed approval can be retried; an uploaded one can't be repeated.
    try history.finish(first.id, status: .failed, at: t(50), summary: nil, uploadResult: "connection refused", reason: "upload failed", uploaded: false)
    let retry = try history.startNew(profile: "north", trigger: .approval, pid: 4, at: t(60), approvesRunId: held.id)
    try history.finish(retry.id, status: .succeeded, at: t(70), summary: nil, uploadResult: "uploaded 5 files", reason: nil, uploaded: true)
    #expect(historyError { _ = try history.startNew(profile: "north", trigger: .approval, pid: 5, at: t(80), approvesRunId: held.id) }
      == .alreadyApproved(held.id, by: retry.id))
    #expect(try history.lastUploaded(profile: "north")?.id == retry.id)
  }

  @Test func statusTitles() {
    #expect(RunStatus.allCases.map(\.title) == [
      "Pending", "Running", "Succeeded", "Failed", "Held", "Skipped", "Cancelled", "Interrupted",
    ])
    #expect(RunStatus.allCases.filter { !$0.isFinal } == [.pending, .running])
    #expect(HistoryError.alreadyStarted(3, .running).description == "run 3 is Running, no longer Pending")
  }
}
