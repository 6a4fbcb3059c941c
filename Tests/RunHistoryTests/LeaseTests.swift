import Foundation
import Testing

@testable import RunHistory

/// Leases, against both stores: the claims several machines share a profile by.
@Suite struct LeaseTests {
  @Test(arguments: StoreKind.allCases) func aHeldLeaseIsRefusedUntilItExpires(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let (a, b) = (try store.open(), try store.open())
    #expect(try a.acquireLeases(["profile/north"], holder: "a/1/x", seconds: 2) == .acquired(replaced: []))
    guard case .held(let by) = try b.acquireLeases(["profile/north"], holder: "b/2/y", seconds: 2) else {
      Issue.record("a lease held by another was taken")
      return
    }
    #expect(by.holder == "a/1/x" && !by.expired)
    // Taking it again is renewing it; a profile's other name is free.
    #expect(try a.acquireLeases(["profile/north"], holder: "a/1/x", seconds: 2) == .acquired(replaced: []))
    #expect(try b.acquireLeases(["profile/south"], holder: "b/2/y", seconds: 2) == .acquired(replaced: []))
    Thread.sleep(forTimeInterval: 2.3)
    guard case .acquired(let replaced) = try b.acquireLeases(["profile/north"], holder: "b/2/y", seconds: 30) else {
      Issue.record("an expired lease was not taken")
      return
    }
    #expect(replaced.map(\.holder) == ["a/1/x"] && replaced.allSatisfy(\.expired))
    // The first holder lost it: its renewal says so, and its release frees nothing of b's.
    #expect(try a.renewLeases(holder: "a/1/x", seconds: 30) == 0)
    try a.releaseLeases(holder: "a/1/x")
    #expect(try a.lease("profile/north")?.holder == "b/2/y")
    #expect(try b.renewLeases(holder: "b/2/y", seconds: 30) == 2)
  }

  /// A profile and its key are taken together or not at all.
  @Test(arguments: StoreKind.allCases) func leasesAreTakenAllOrNone(_ kind: StoreKind) throws {
    let history = try TestStore(kind).open()
    #expect(try history.acquireLeases(["key/k1"], holder: "a/1/x", seconds: 30) == .acquired(replaced: []))
    guard case .held(let by) = try history.acquireLeases(["profile/north", "key/k1"], holder: "b/2/y", seconds: 30)
    else {
      Issue.record("a claim whose key is held was taken")
      return
    }
    #expect(by.name == "key/k1")
    #expect(try history.lease("profile/north") == nil)
    try history.releaseLeases(holder: "a/1/x")
    #expect(try history.acquireLeases(["profile/north", "key/k1"], holder: "b/2/y", seconds: 30) == .acquired(replaced: []))
    #expect(try history.lease("key/k1")?.holder == "b/2/y")
  }

  /// A holder the caller knows is dead (a process of its machine) is replaced before expiry.
  @Test(arguments: StoreKind.allCases) func aDeadHolderIsTakenOverAtOnce(_ kind: StoreKind) throws {
    let history = try TestStore(kind).open()
    _ = try history.acquireLeases(["profile/north"], holder: "here/999999/x", seconds: 300)
    let outcome = try history.acquireLeases(["profile/north"], holder: "here/1/y", seconds: 300) { $0.holder == "here/999999/x" }
    guard case .acquired(let replaced) = outcome else {
      Issue.record("a dead holder's lease was not taken over")
      return
    }
    #expect(replaced.map(\.holder) == ["here/999999/x"] && replaced.allSatisfy { !$0.expired })
  }

  /// Many connections race for one free name: exactly one gets it.
  @Test(arguments: StoreKind.allCases) func aRaceForOneLeaseHasOneWinner(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let histories = try (0..<6).map { _ in try store.open() }
    for round in 0..<10 {
      let winners = Collected<Int>()
      let failures = Collected<String>()
      DispatchQueue.concurrentPerform(iterations: histories.count) { k in
        do {
          let outcome = try histories[k].acquireLeases(["profile/p\(round)", "key/k\(round)"], holder: "n\(k)/1/x", seconds: 30)
          if case .acquired = outcome { winners.append(k) }
        } catch {
          failures.append("\(error)")
        }
      }
      // SQLite may answer "busy" beyond its timeout under this contention; PostgreSQL may
      // end a deadlock: either is a refusal, never a second winner.
      #expect(winners.all.count == 1, "round \(round): \(winners.all), \(failures.all)")
    }
  }
}
