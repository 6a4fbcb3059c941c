import Foundation
import Testing

@testable import RunHistory

/// The sets the history keeps for later runs: each Held run's and the last upload's.
@Suite struct RunSetTests {
  /// Every byte value, so neither store may treat a file as text.
  let bytes = Data((0...255).map { UInt8($0) } + Array("Student_id,Name\n1,Zoë\n".utf8))

  func set(_ tag: String) -> [StoredFile] {
    [
      StoredFile(name: "students.csv", sha256: "s-\(tag)", content: Data("students \(tag)".utf8)),
      StoredFile(name: "schools.csv", sha256: "c-\(tag)", content: bytes),
    ]
  }

  /// A run of `north` (unless said) that ended with `status`, its set stored while it ran.
  func ended(
    _ history: RunHistory, _ status: RunStatus, at: Int, uploaded: Bool = false, approves: Int64? = nil,
    profile: String = "north"
  ) throws -> RunRecord {
    let run = try history.startNew(
      profile: profile, trigger: approves == nil ? .manual : .approval, pid: 1, at: t(at), approvesRunId: approves)
    try history.storeSet(run.id, set("\(run.id)"))
    try history.finish(run.id, status: status, at: t(at + 10), summary: nil, uploadResult: nil, reason: nil, uploaded: uploaded)
    return try #require(try history.run(run.id))
  }

  @Test(arguments: StoreKind.allCases) func aStoredSetReadsBackByteForByteAndIsReplacedWhole(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let run = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0))
    #expect(try history.storedSet(run.id) == [])
    try history.storeSet(run.id, set("a"))
    // Another connection, as another machine of a fleet reads it: by name.
    #expect(try store.open().storedSet(run.id) == set("a").sorted { $0.name < $1.name })
    let replacement = [StoredFile(name: "teachers.csv", sha256: "t", content: Data())]
    try history.storeSet(run.id, replacement)
    #expect(try history.storedSet(run.id) == replacement)
    #expect(historyError { try history.storeSet(999, replacement) } == .noSuchRun(999))
  }

  @Test(arguments: StoreKind.allCases) func onlyHeldSetsAndTheLastUploadAreKept(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let firstUpload = try ended(history, .succeeded, at: 0, uploaded: true)
    let held = try ended(history, .held, at: 100)
    let approvedHeld = try ended(history, .held, at: 200)
    let failedApproval = try ended(history, .failed, at: 300, approves: approvedHeld.id)
    let approval = try ended(history, .succeeded, at: 400, uploaded: true, approves: approvedHeld.id)
    let dryRun = try ended(history, .succeeded, at: 500)
    let interruptedAfterUpload = try ended(history, .interrupted, at: 600, uploaded: true)
    let failed = try ended(history, .failed, at: 700)
    let running = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(800))
    try history.storeSet(running.id, set("running"))
    let otherProfile = try ended(history, .failed, at: 0, profile: "south")

    // Two files each of six runs: the upload that is no longer the last (twice: the first and the
    // approval), the Held run an approval uploaded, the failed approval, the dry run, the failed run.
    #expect(try history.deleteUnneededSets(profile: "north") == 12)
    let kept = try [firstUpload, held, approvedHeld, failedApproval, approval, dryRun, interruptedAfterUpload, failed]
      .filter { !(try history.storedSet($0.id)).isEmpty }.map(\.id)
    #expect(kept == [held.id, interruptedAfterUpload.id])
    #expect(try history.storedSet(running.id) == set("running").sorted { $0.name < $1.name })
    #expect(try history.storedSet(otherProfile.id).count == 2, "another profile's sets are its own")
    #expect(try history.deleteUnneededSets(profile: "north") == 0)

    // Retention deletes the unneeded sets too; a newer upload ends the last one's.
    let newest = try ended(history, .succeeded, at: 900, uploaded: true)
    _ = try history.prune(profile: "north", keep: 100)
    #expect(try history.storedSet(interruptedAfterUpload.id) == [])
    #expect(try history.storedSet(newest.id).count == 2)
    #expect(try history.storedSet(held.id).count == 2)
  }

  /// A run's row deleted takes its set with it (SQLite's foreign keys are on): retention never
  /// deletes a run whose set is kept, but a set must not outlive its row.
  @Test(arguments: StoreKind.allCases) func deletingARunDeletesItsSet(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    let held = try ended(history, .held, at: 0)
    _ = try history.write { try $0.execute("DELETE FROM run WHERE id = ?", [held.id]) }
    #expect(try history.run(held.id) == nil)
    #expect(try history.storedSet(held.id) == [])
  }
}
