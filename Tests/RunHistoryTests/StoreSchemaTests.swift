import Foundation
import GRDB
import TestHarness
import Testing

@testable import RunHistory

/// What both stores keep of the schema, read straight from the database.
@Suite struct StoreSchemaTests {
  /// Rows of `sql` as `a|b` text: GRDB on the SQLite file, psql on the PostgreSQL database.
  func rows(_ store: TestStore, _ history: RunHistory, _ sql: String) throws -> [String] {
    if let database = store.database {
      return try PostgresServer.shared().sql(sql, database: database.name).split(separator: "\n").map(String.init)
    }
    return try (history.store as! SQLiteStore).dbQueue.read { try String.fetchAll($0, sql: sql) }
  }

  /// The two stores' migration history reads alike: GRDB's table and identifiers.
  @Test(arguments: StoreKind.allCases) func appliedMigrationsReadAlike(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    #expect(try rows(store, history, "SELECT identifier FROM grdb_migrations") == Schema.migrations.map(\.identifier))
    _ = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(60))
    // Opening again applies nothing twice and keeps the rows.
    let reopened = try store.open()
    #expect(try rows(store, reopened, "SELECT identifier FROM grdb_migrations") == Schema.migrations.map(\.identifier))
    #expect(try reopened.pending(profile: "north").map(\.scheduledAt) == [t(60)])
  }

  @Test(arguments: StoreKind.allCases) func refusesADatabaseOfANewerVersion(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let history = try store.open()
    if let database = store.database {
      _ = try PostgresServer.shared().sql("INSERT INTO grdb_migrations VALUES ('v99')", database: database.name)
    } else {
      try (history.store as! SQLiteStore).dbQueue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }
    }
    #expect(historyError { _ = try store.open() } == .newerDatabase(path: store.location))
  }

  /// PostgreSQL keeps instants as TIMESTAMPTZ, to the millisecond as SQLite's text.
  @Test func postgresqlStoresInstantsToTheMillisecond() throws {
    let store = try TestStore(.postgresql)
    let history = try store.open()
    let run = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0).addingTimeInterval(0.0123))
    let text = try PostgresServer.shared().sql(
      "SELECT startedAt AT TIME ZONE 'UTC' FROM run WHERE id = \(run.id)", database: store.database!.name)
    #expect(text == "2023-11-14 22:13:20.012\n")
    #expect(try history.run(run.id)?.startedAt == t(0).addingTimeInterval(0.012))
  }

  /// Machines of a fleet starting together on a new database: one migrates, all open.
  @Test func concurrentOpensOfANewPostgresDatabaseAllSucceed() throws {
    let store = try TestStore(.postgresql)
    let failures = Collected<String>()
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      do { _ = try store.open() } catch { failures.append("\(error)") }
    }
    #expect(failures.all == [])
    #expect(try PostgresServer.shared().sql("SELECT count(*) FROM grdb_migrations", database: store.database!.name)
      == "\(Schema.migrations.count)\n")
  }

  /// Profiles share one PostgreSQL database: each sees only its own runs and schedules.
  @Test func profilesShareOnePostgresDatabase() throws {
    let store = try TestStore(.postgresql)
    let north = try store.open()
    let south = try store.open()
    let a = try north.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0))
    let b = try south.startNew(profile: "south", trigger: .manual, pid: 1, at: t(1))
    _ = try south.addSchedule(profile: "south", spec: "{}", at: t(2))
    #expect(try north.runs(profile: "north").map(\.id) == [a.id])
    #expect(try north.runs(profile: "south").map(\.id) == [b.id])
    #expect(try north.schedules(profile: "north") == [])
  }
}
