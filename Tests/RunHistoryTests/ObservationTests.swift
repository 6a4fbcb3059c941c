import Foundation
import Testing

@testable import RunHistory

@Suite struct ObservationTests {
  @Test(arguments: StoreKind.allCases) func firesOnChangesFromThisAndAnotherConnection(_ kind: StoreKind) async throws {
    let store = try TestStore(kind)
    let watcher = try store.open()
    let seen = Collected<[RunRecord]>()
    let observation = try watcher.observe(profile: "north", pollInterval: 0.1) { seen.append($0) }
    defer { observation.cancel() }
    #expect(try await eventually { seen.all.last == [] })

    // This connection: ValueObservation sees it directly.
    let run = try watcher.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0))
    #expect(try await eventually { seen.all.last?.map(\.status) == [.running] })

    // Another connection, as the daemon in another process: found through data_version.
    let daemon = try store.open()
    try daemon.finish(run.id, status: .succeeded, at: t(10), summary: nil, uploadResult: "uploaded 5 files", reason: nil, uploaded: true)
    #expect(try await eventually { seen.all.last?.map(\.status) == [.succeeded] })

    // Other profiles don't produce a new value.
    let count = seen.all.count
    _ = try daemon.startNew(profile: "south", trigger: .manual, pid: 1, at: t(20))
    try await Task.sleep(nanoseconds: 400_000_000)
    #expect(seen.all.count == count)

    observation.cancel()
    _ = try daemon.startNew(profile: "north", trigger: .manual, pid: 1, at: t(30))
    try await Task.sleep(nanoseconds: 400_000_000)
    #expect(seen.all.count == count)
  }
}
