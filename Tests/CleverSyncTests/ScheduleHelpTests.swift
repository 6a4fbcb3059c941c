import Foundation
import Testing
@testable import TestHarness

/// `schedule add` cannot do without --at, and its help says so; `schedule edit` can.
struct ScheduleHelpTests {
  /// The USAGE line of `clever-sync schedule <command> --help`.
  func usage(_ command: String) throws -> String {
    let help = try Shell.run("COLUMNS=80 clever-sync schedule \(command) --help")
    #expect(help.status == 0, "\(help.stderr)")
    return try #require(help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE:") }.map(String.init), "\(help.stdout)")
  }

  @Test func addShowsAtAsRequiredAndEditAsOptional() throws {
    let add = try usage("add")
    #expect(add.contains(" --at <time> ") && !add.contains("[--at <time>]"), "\(add)")
    #expect(try usage("edit").contains("[--at <time>]"))
  }

  @Test func addWithoutAtIsAUsageError() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let add = try fixture.sync("schedule add --repeat daily")
    #expect(add.status == 64, "\(add.stderr)")
    #expect(add.stderr.contains("--at <time>"), "\(add.stderr)")
  }
}
