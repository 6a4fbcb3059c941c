import Foundation
import Testing
@testable import TestHarness

/// The guard's baseline and a held set live in the history store, not in the artifacts
/// folder: a run or an approval on another machine of a fleet finds them there.
@Suite struct StoredSetTests {
  let key = QSServer.exampleKey

  enum Store: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgresql
    var testDescription: String { rawValue }
  }

  /// A profile keeping its history in `store`; `machine()` is where the next command runs:
  /// for SQLite the same state directory, for PostgreSQL another state directory (another
  /// machine) sharing the database. Either way the earlier runs' folders are gone, as they
  /// are out of another machine's reach.
  final class Setup {
    let fixture: SyncFixture
    let store: Store
    let database: (name: String, url: String)?
    var environment: [String: String] { database.map { ["CLEVER_SYNC_DATABASE_URL": $0.url] } ?? [:] }
    var storeLines: String { store == .postgresql ? "[history]\nstore = \"postgresql\"" : "" }

    init(_ store: Store) throws {
      self.store = store
      fixture = try SyncFixture()
      database = store == .postgresql ? try PostgresServer.shared().makeDatabase() : nil
      try fixture.write(extra: storeLines)
    }

    func machine() throws -> SyncFixture {
      try FileManager.default.removeItem(atPath: fixture.state + "/runs")
      guard store == .postgresql else { return fixture }
      let other = try SyncFixture()
      try other.write(extra: storeLines)
      return other
    }

    /// The runs whose set the history keeps.
    func runsWithSets() throws -> [Int] {
      let query = "SELECT DISTINCT runId FROM run_file ORDER BY runId"
      let text =
        try database.map { try PostgresServer.shared().sql(query, database: $0.name) }
        ?? Shell.run("sqlite3 '\(fixture.state)/history.sqlite' '\(query)'").stdout
      return text.split(separator: "\n").compactMap { Int($0) }
    }
  }

  /// Points `machine`'s profile at a school with 12 of its 39 students gone.
  func useSmallerSchool(_ setup: Setup, on machine: SyncFixture) throws -> QSServer {
    let qs = try QSServer(fixtures: [key: try setup.fixture.smallerSchool()])
    try machine.write(source: SyncFixture.apiSource(qs), extra: setup.storeLines)
    return qs
  }

  @Test(arguments: Store.allCases) func theGuardComparesWithTheLastUploadTheHistoryKeeps(_ store: Store) throws {
    let setup = try Setup(store)
    let first = try setup.fixture.sync("run", environment: setup.environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try setup.runsWithSets() == [1])

    let machine = try setup.machine()
    let qs = try useSmallerSchool(setup, on: machine)
    let before = SyncFixture.csvSet(machine.destination)
    let held = try machine.sync("run", environment: setup.environment.merging(["TEST_QS_KEY": key]) { a, _ in a })
    #expect(held.status == 1, "\(held.stderr)")
    let run = try #require(try machine.history(setup.environment).first)
    #expect(run["status"] as? String == "Held", "\(run)")
    #expect((run["reason"] as? String)?.contains("students.csv: 12 of 38 students removed") == true, "\(run)")
    #expect(SyncFixture.csvSet(machine.destination) == before, "a held run must not upload")
    // The baseline was written into the run's folder for the comparison only.
    #expect(!FileManager.default.fileExists(atPath: machine.state + "/runs/2/baseline"))
    #expect(try setup.runsWithSets() == [1, 2])
    withExtendedLifetime(qs) {}
  }

  @Test(arguments: Store.allCases) func aHeldSetIsApprovedFromTheHistoryByteForByte(_ store: Store) throws {
    let setup = try Setup(store)
    #expect(try setup.fixture.sync("run", environment: setup.environment).status == 0)
    let qs = try useSmallerSchool(setup, on: setup.fixture)
    let held = try setup.fixture.sync("run", environment: setup.environment.merging(["TEST_QS_KEY": key]) { a, _ in a })
    #expect(held.status == 1, "\(held.stderr)")
    let heldSet = SyncFixture.csvSet(setup.fixture.state + "/runs/2/csv")
    #expect(heldSet.count == 5)

    let machine = try setup.machine()
    let approve = try machine.sync("approve 2", environment: setup.environment)
    #expect(approve.status == 0, "\(approve.stderr)")
    #expect(SyncFixture.csvSet(machine.destination) == heldSet)
    let approval = try #require(try machine.history(setup.environment).first)
    #expect(approval["id"] as? Int == 3 && approval["status"] as? String == "Succeeded", "\(approval)")
    // Kept now: the approval's set, the new baseline. The first upload's and the approved one's went.
    #expect(try setup.runsWithSets() == [3])
    withExtendedLifetime(qs) {}
  }

  /// Runs from before the history kept sets: their folders are read, as then.
  @Test func runsWithoutAStoredSetAreReadFromTheirFolders() throws {
    let setup = try Setup(.sqlite)
    #expect(try setup.fixture.sync("run").status == 0)
    let qs = try useSmallerSchool(setup, on: setup.fixture)
    #expect(try setup.fixture.sync("run", environment: ["TEST_QS_KEY": key]).status == 1)
    let database = setup.fixture.state + "/history.sqlite"
    #expect(try Shell.run("sqlite3 '\(database)' 'DELETE FROM run_file'").status == 0)

    let again = try setup.fixture.sync("run", environment: ["TEST_QS_KEY": key])
    #expect(again.status == 1, "compared with run 1's folder: \(again.stderr)")
    let approve = try setup.fixture.sync("approve 2")
    #expect(approve.status == 0, "\(approve.stderr)")
    #expect(SyncFixture.csvSet(setup.fixture.destination) == SyncFixture.csvSet(setup.fixture.state + "/runs/2/csv"))
    withExtendedLifetime(qs) {}
  }
}
