import Foundation
import SyncRuns
import Testing

/// The fleet's bounds, without processes: which due runs start, in which order.
struct RunSlotsTests {
  let base = Date(timeIntervalSince1970: 1_800_000_000)

  func run(_ profile: String, _ minutesLate: Double, key: String? = nil, host: String = "sftp.clever.com")
    -> FleetCandidate
  {
    FleetCandidate(profile: profile, runId: 1, scheduledAt: base.addingTimeInterval(-minutesLate * 60), keyDigest: key,
                   host: host)
  }

  @Test func theOldestDueStartFirstUpToTheJobs() {
    let slots = RunSlots(jobs: 2, perHost: 10)
    let chosen = slots.choose([run("c", 1), run("a", 5), run("b", 3)])
    #expect(chosen.map(\.profile) == ["a", "b"])
  }

  @Test func aRunHeldBackByItsKeyOrHostDoesNotHoldBackTheOthers() {
    var slots = RunSlots(jobs: 3, perHost: 1)
    slots.take(run("busy", 0, key: "k1", host: "one.example"))
    let chosen = slots.choose([
      run("same-key", 9, key: "k1", host: "two.example"),
      run("same-host", 8, key: "k2", host: "one.example"),
      run("free", 1, key: "k3", host: "three.example"),
    ])
    #expect(chosen.map(\.profile) == ["free"])
  }

  @Test func aProfileRunsOnceAtATimeAndAReleasedSlotIsFreeAgain() {
    var slots = RunSlots(jobs: 4, perHost: 4)
    let first = run("a", 2)
    #expect(slots.choose([first, FleetCandidate(profile: "a", runId: 2, scheduledAt: base, keyDigest: nil, host: "h")])
      .count == 1)
    slots.take(first)
    #expect(!slots.admits(run("a", 0)))
    slots.release("a")
    #expect(slots.admits(run("a", 0)))
  }
}
