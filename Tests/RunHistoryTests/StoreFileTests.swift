import Foundation
import GRDB
import Testing

@testable import RunHistory

@Suite struct StoreFileTests {
  @Test func migratesANewFileAndReopensIt() throws {
    let dir = try TempDir()
    do {
      let history = try RunHistory(path: dir.dbPath)
      let applied = try (history.store as! SQLiteStore).dbQueue.read { try SQLiteStore.migrator.appliedMigrations($0) }
      #expect(applied == Schema.migrations.map(\.identifier))
      let tables = try (history.store as! SQLiteStore).dbQueue.read {
        try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      }
      #expect(tables.contains("run") && tables.contains("schedule") && tables.contains("run_file"))
      let journal = try (history.store as! SQLiteStore).dbQueue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
      #expect(journal == "wal")
      _ = try history.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(60))
    }
    let reopened = try RunHistory(path: dir.dbPath)
    let reapplied = try (reopened.store as! SQLiteStore).dbQueue.read { try SQLiteStore.migrator.appliedMigrations($0) }
    #expect(reapplied == Schema.migrations.map(\.identifier))
    #expect(try reopened.pending(profile: "north").map(\.scheduledAt) == [t(60)])
  }

  @Test func datesAreStoredInUTC() throws {
    let dir = try TempDir()
    let history = try RunHistory(path: dir.dbPath)
    let run = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0))
    let text = try (history.store as! SQLiteStore).dbQueue.read {
      try String.fetchOne($0, sql: "SELECT startedAt FROM run WHERE id = ?", arguments: [run.id])
    }
    #expect(text == "2023-11-14 22:13:20.000")
  }

  @Test func refusesADatabaseOfANewerVersion() throws {
    let dir = try TempDir()
    try (RunHistory(path: dir.dbPath).store as! SQLiteStore).dbQueue.write {
      try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')")
    }
    #expect(historyError { _ = try RunHistory(path: dir.dbPath) } == .newerDatabase(path: dir.dbPath))
  }

  @Test func directoryIs0700AndFilesAre0600() throws {
    let dir = try TempDir()
    let history = try RunHistory(path: dir.dbPath)
    _ = try history.startNew(profile: "north", trigger: .manual, pid: 1, at: t(0))
    let state = (dir.dbPath as NSString).deletingLastPathComponent
    #expect(try mode(state) == 0o700)
    for file in [dir.dbPath, dir.dbPath + "-wal", dir.dbPath + "-shm"] {
      #expect(FileManager.default.fileExists(atPath: file), "\(file)")
      #expect(try mode(file) == 0o600, "\(file)")
    }
  }

  @Test func tightensAnExistingLooseFile() throws {
    let dir = try TempDir()
    // Kept open: SQLite removes -wal and -shm when the last connection closes.
    let first = try RunHistory(path: dir.dbPath)
    for file in [dir.dbPath, dir.dbPath + "-wal", dir.dbPath + "-shm"] {
      try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
    }
    _ = try RunHistory(path: dir.dbPath)
    for file in [dir.dbPath, dir.dbPath + "-wal", dir.dbPath + "-shm"] {
      #expect(try mode(file) == 0o600, "\(file)")
    }
    withExtendedLifetime(first) {}
  }

  /// Two ticks starting at once on a fresh install both open (and migrate) the new file.
  @Test func concurrentOpensOfANewFileAllSucceed() throws {
    for _ in 0..<10 {
      let dir = try TempDir()
      let failures = Collected<String>()
      DispatchQueue.concurrentPerform(iterations: 4) { _ in
        do { _ = try RunHistory(path: dir.dbPath) } catch { failures.append("\(error)") }
      }
      #expect(failures.all == [])
    }
  }
}
