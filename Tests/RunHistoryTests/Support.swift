import Foundation
import TestHarness
import Testing

@testable import RunHistory

/// The two stores every test of the history's behaviour runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case sqlite, postgresql
  var testDescription: String { rawValue }
}

/// An empty history of one kind: a new SQLite file, or a new database on the tests'
/// PostgreSQL server. `open()` gives another connection to it, as another process would.
final class TestStore: Sendable {
  let kind: StoreKind
  let dir: TempDir
  /// The PostgreSQL database's name and URL.
  let database: (name: String, url: String)?

  init(_ kind: StoreKind) throws {
    self.kind = kind
    dir = try TempDir()
    database = kind == .postgresql ? try PostgresServer.shared().makeDatabase() : nil
  }

  func open() throws -> RunHistory {
    if let database { return try RunHistory(databaseURL: DatabaseURL(database.url)) }
    return try RunHistory(path: dir.dbPath)
  }

  /// What `path` (the store's location in messages) is.
  var location: String { try! database.map { try DatabaseURL($0.url).description } ?? dir.dbPath }
}

/// A fresh directory under the system temporary directory, removed when the test ends.
final class TempDir: Sendable {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("runhistory-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  /// A database path inside a state directory that does not exist yet.
  var dbPath: String { url.appendingPathComponent("state/history.sqlite").path }
  deinit { try? FileManager.default.removeItem(at: url) }
}

/// Whole seconds after a fixed instant, so dates survive the millisecond storage exactly.
func t(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + TimeInterval(seconds)) }

func mode(_ path: String) throws -> Int {
  (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
}

/// The HistoryError `body` throws, or nil.
func historyError(_ body: () throws -> Void) -> HistoryError? {
  do {
    try body()
    return nil
  } catch let error as HistoryError {
    return error
  } catch {
    Issue.record("unexpected error \(error)")
    return nil
  }
}

/// A process id that was alive and is now gone (started, exited and reaped).
func deadPid() throws -> Int32 {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/true")
  try process.run()
  process.waitUntilExit()
  return process.processIdentifier
}

func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

/// Polls `condition` until it holds or `seconds` pass.
func eventually(within seconds: Double = 10, _ condition: () -> Bool) async throws -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if condition() { return true }
    try await Task.sleep(nanoseconds: 20_000_000)
  }
  return condition()
}

/// Values appended from any thread.
final class Collected<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [T] = []
  func append(_ item: T) { lock.withLock { items.append(item) } }
  var all: [T] { lock.withLock { items } }
}
