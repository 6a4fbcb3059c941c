import Foundation
import Testing

@testable import RunHistory

@Suite struct RetentionTests {
  /// A finished run started at `at`, ended 10 s later.
  func finished(_ history: RunHistory, _ status: RunStatus, at: Int, uploaded: Bool = false, profile: String = "north")
    throws -> RunRecord
  {
    let run = try history.startNew(profile: profile, trigger: .manual, pid: 1, at: t(at))
    try history.setArtifacts(run.id, "/state/runs/\(run.id)")
    try history.finish(run.id, status: status, at: t(at + 10), summary: nil, uploadResult: nil, reason: nil, uploaded: uploaded)
    return try #require(try history.run(run.id))
  }

  @Test(arguments: StoreKind.allCases) func lastUploadedIsTheNewestUpload(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    #expect(try history.lastUploaded(profile: "north") == nil)
    let a = try finished(history, .succeeded, at: 0, uploaded: true)
    _ = try finished(history, .failed, at: 100)
    let c = try finished(history, .succeeded, at: 200, uploaded: true)
    _ = try finished(history, .held, at: 300)
    _ = try finished(history, .succeeded, at: 400, uploaded: true, profile: "south")
    #expect(try history.lastUploaded(profile: "north") == c)
    #expect(try history.lastUploaded(profile: "north", before: c.id) == a)
    #expect(try history.lastUploaded(profile: "north", before: a.id) == nil)
    // A run created long ago as Pending and started after c: its baseline is c, not by id.
    let pending = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(500))
    #expect(try history.lastUploaded(profile: "north", before: pending.id) == c)
    _ = try history.startPending(pending.id, pid: 1, at: t(500))
    #expect(try history.lastUploaded(profile: "north", before: pending.id) == c)
    #expect(historyError { _ = try history.lastUploaded(profile: "north", before: 999) } == .noSuchRun(999))
  }

  @Test(arguments: StoreKind.allCases) func pruneKeepsTheLastUploadedHeldAndUnfinished(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let oldHeld = try finished(history, .held, at: 0)
    let uploaded = try finished(history, .succeeded, at: 100, uploaded: true)
    let failed = try finished(history, .failed, at: 200)
    let skipped = try finished(history, .interrupted, at: 300)
    let recent1 = try finished(history, .failed, at: 400)
    let recent2 = try finished(history, .cancelled, at: 500)
    let running = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(600))
    let pending = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(700))
    let other = try finished(history, .failed, at: 0, profile: "south")

    let pruned = try history.prune(profile: "north", keep: 2)
    #expect(Set(pruned.map(\.id)) == [failed.id, skipped.id])
    #expect(pruned.allSatisfy { $0.artifacts == "/state/runs/\($0.id)" })
    let left = Set(try history.runs(profile: "north").map(\.id))
    #expect(left == [oldHeld.id, uploaded.id, recent1.id, recent2.id, running.id, pending.id])
    #expect(try history.run(other.id) != nil)

    #expect(try history.prune(profile: "north", keep: 2) == [])
    let all = try history.prune(profile: "north", keep: 0)
    #expect(Set(all.map(\.id)) == [recent1.id, recent2.id])
    #expect(try history.lastUploaded(profile: "north") == uploaded)
  }
}
