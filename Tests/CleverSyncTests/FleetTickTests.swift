import Foundation
import Testing
@testable import TestHarness

/// `clever-sync tick --profiles DIR`: a folder of profiles served by one process, within
/// its bounds (--jobs, one run per QuickSchools key, --sftp-per-host).
@Suite(.serialized) struct FleetTickTests {
  /// Each profile's run: its key's span of requests on the server.
  private func spans(_ server: QSServer, _ keys: [Int]) throws -> [(start: Double, end: Double)] {
    let all = try FleetFixture.spans(server)
    return keys.compactMap { all[FleetFixture.key($0)] }
  }

  @Test func twelveProfilesDueAtOnceRunOnceEachAtMostThreeAtATime() throws {
    let qs = try FleetFixture.server(keys: 12, stall: 0.05)
    let fleet = try FleetFixture()
    let names = (0..<12).map { "school-\($0)" }
    for (index, name) in names.enumerated() { try fleet.add(name, server: qs, key: index) }
    for name in names { try fleet.schedule(name) }
    sleep(2)
    let tick = try fleet.sync("tick --profiles '\(fleet.profiles)' --jobs 3")
    #expect(tick.status == 0, "\(tick.stderr)")
    let runs = try fleet.history()
    for name in names {
      let succeeded = runs.filter { $0["profile"] as? String == name && $0["status"] as? String == "Succeeded" }
      #expect(succeeded.count == 1, "\(name): \(runs.filter { $0["profile"] as? String == name })")
      #expect(fleet.uploaded(name).count == 5, "\(name): \(fleet.uploaded(name))")
    }
    let spans = try spans(qs, Array(0..<12))
    #expect(spans.count == 12)
    let overlap = FleetFixture.maxOverlap(spans)
    #expect(overlap <= 3, "at most 3 runs at once, saw \(overlap)")
    #expect(overlap >= 2, "the slots are used: saw only \(overlap) at once")
  }

  @Test func profilesSharingAKeyNeverRunTogetherWhileOthersDo() throws {
    let qs = try FleetFixture.server(keys: 3, stall: 0.1)
    let fleet = try FleetFixture()
    // a and b share key 0; c and d have keys of their own.
    for (name, key) in [("a", 0), ("b", 0), ("c", 1), ("d", 2)] {
      try fleet.add(name, server: qs, key: key)
      try fleet.schedule(name)
    }
    sleep(2)
    let tick = try fleet.sync("tick --profiles '\(fleet.profiles)' --jobs 4")
    #expect(tick.status == 0, "\(tick.stderr)")
    // Each run of the example school asks the same requests. One after the other, the
    // shared key's first requests are one whole run's; at once, they would hold two
    // runs' first requests and neither's last ones.
    let log = try qs.log()
    let shared = log.filter { $0.query["apiKey"] == FleetFixture.key(0) }.sorted { $0.time < $1.time }.map(\.path)
    let alone = log.filter { $0.query["apiKey"] == FleetFixture.key(1) }.map(\.path)
    #expect(shared.count == 2 * alone.count, "both runs of the shared key asked: \(shared.count) of \(2 * alone.count)")
    #expect(shared.prefix(alone.count).sorted() == alone.sorted(), "the shared key's runs overlapped: \(shared)")
    let all = try FleetFixture.spans(qs)
    #expect(FleetFixture.maxOverlap([all[FleetFixture.key(1)]!, all[FleetFixture.key(2)]!, all[FleetFixture.key(0)]!]) >= 2,
            "profiles with different keys ran at the same time")
  }

  @Test func onlyOneRunAtATimeToOneHostWithSFTPPerHostOne() throws {
    let qs = try FleetFixture.server(keys: 4, stall: 0.05)
    let fleet = try FleetFixture()
    for index in 0..<4 {
      try fleet.add("s\(index)", server: qs, key: index)
      try fleet.schedule("s\(index)")
    }
    sleep(2)
    // Every file:// destination is the host "localhost".
    let tick = try fleet.sync("tick --profiles '\(fleet.profiles)' --jobs 4 --sftp-per-host 1")
    #expect(tick.status == 0, "\(tick.stderr)")
    #expect(FleetFixture.maxOverlap(try spans(qs, Array(0..<4))) == 1)
    #expect((0..<4).allSatisfy { fleet.uploaded("s\($0)").count == 5 })
  }

  @Test func aBrokenProfileAndAFailingOneDoNotStopTheOthers() throws {
    let qs = try FleetFixture.server(keys: 4)
    let fleet = try FleetFixture()
    for index in 0..<4 {
      try fleet.add("good-\(index)", server: qs, key: index)
      try fleet.schedule("good-\(index)")
    }
    // A key the server refuses: its run fails.
    try fleet.add("failing", server: qs, key: 99)
    try fleet.schedule("failing")
    try "[quickschools\nbase_url = ".write(toFile: fleet.path("broken"), atomically: true, encoding: .utf8)
    sleep(2)
    let tick = try fleet.sync("tick --profiles '\(fleet.profiles)' --jobs 2")
    #expect(tick.status != 0, "a failed run makes the tick fail")
    #expect(tick.stderr.contains("profile broken is skipped until its file is fixed"), "\(tick.stderr)")
    #expect(tick.stderr.contains("broken.toml:"), "the broken file's problem is shown: \(tick.stderr)")
    for index in 0..<4 { #expect(fleet.uploaded("good-\(index)").count == 5) }

    // history --all: every profile; --profile (a glob) and --status filter it.
    let all = try fleet.history()
    #expect(Set(all.compactMap { $0["profile"] as? String }) == ["good-0", "good-1", "good-2", "good-3", "failing"])
    let failed = try fleet.history("--status failed")
    #expect(failed.count == 1 && failed.first?["profile"] as? String == "failing", "\(failed)")
    let some = try fleet.history("--profile 'good-[01]'")
    #expect(Set(some.compactMap { $0["profile"] as? String }) == ["good-0", "good-1"])
    let table = try fleet.sync("history --profiles '\(fleet.profiles)'")
    #expect(table.stdout.hasPrefix("PROFILE"), "\(table.stdout)")
    #expect(table.stdout.contains("failing") && table.stdout.contains("Failed"))
    let schedules = try fleet.sync("schedule list --profiles '\(fleet.profiles)' --profile 'good-*'")
    #expect(schedules.status == 0 && schedules.stdout.hasPrefix("PROFILE"), "\(schedules.stdout)\(schedules.stderr)")
  }
}
