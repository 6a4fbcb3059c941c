import Foundation
import TestHarness
import Testing

@testable import RunHistory

/// The URL holds the password: no message may show it.
@Suite struct DatabaseURLTests {
  @Test func readsTheURLAndLeavesThePasswordOutOfItsDescription() throws {
    let url = try DatabaseURL("postgresql://sync:s3cr%40t@db.example.org:5433/fleet?sslmode=require")
    #expect(url.user == "sync" && url.password == "s3cr@t" && url.host == "db.example.org" && url.port == 5433)
    #expect(url.database == "fleet" && url.tls == .require)
    #expect(url.description == "postgresql://sync@db.example.org:5433/fleet")
    let defaults = try DatabaseURL("postgres://sync@db")
    #expect(defaults.port == 5432 && defaults.database == "sync" && defaults.tls == .prefer && defaults.password == nil)
    #expect(defaults.queryTimeout == 60)
    #expect(try DatabaseURL("postgres://sync@db?query_timeout=5&sslmode=disable").queryTimeout == 5)
  }

  @Test(arguments: [
    "mysql://sync:hunter2secret@db/fleet", "postgresql://sync:hunter2secret@db/fleet?sslmode=maybe",
    "postgresql://sync:hunter2secret@/fleet", "postgresql://sync:hunter2secret@db/fleet?password=x",
    "postgresql://sync:hunter2secret@db/fleet?query_timeout=0", "postgresql://sync:hunter2secret@db/fleet?query_timeout=x",
  ])
  func refusalsNeverShowThePassword(_ text: String) {
    do {
      _ = try DatabaseURL(text)
      Issue.record("accepted \(text)")
    } catch {
      #expect(!"\(error)".contains("hunter2secret"), "\(error)")
      #expect("\(error)".contains("<redacted>") || !"\(error)".contains("sync:"), "\(error)")
    }
  }

  /// A wrong password: the server's refusal is shown, the password is not.
  @Test func aRefusedConnectionNamesTheServerNotThePassword() throws {
    let server = try PostgresServer.shared()
    let text = "postgresql://\(server.user):wrongpassword42@127.0.0.1:\(server.port)/postgres?sslmode=disable"
    do {
      _ = try RunHistory(databaseURL: DatabaseURL(text))
      Issue.record("connected with a wrong password")
    } catch {
      let message = "\(error)"
      #expect(message.contains("password authentication failed"), "\(message)")
      #expect(message.contains("127.0.0.1:\(server.port)/postgres"), "\(message)")
      #expect(!message.contains("wrongpassword42"), "\(message)")
    }
  }

  /// A server that stops answering without closing the connection (its machine stopped):
  /// the query fails as unreachable after query_timeout, instead of waiting for TCP.
  // Without the timeout the query would wait for ever: the limit makes that a failure.
  @Test(.timeLimit(.minutes(1))) func aServerThatStopsAnsweringFailsTheQueryAfterTheTimeout() throws {
    let server = try PostgresServer.dedicated()
    let url = "postgresql://\(server.user):\(server.password)@127.0.0.1:\(server.port)/postgres?sslmode=disable"
    let history = try RunHistory(databaseURL: DatabaseURL(url + "&query_timeout=2"))
    _ = try history.runs(profile: "lincoln")
    try server.freeze(true)
    defer { try? server.freeze(false) }
    let started = Date()
    do {
      _ = try history.runs(profile: "lincoln")
      Issue.record("a frozen server answered")
    } catch {
      #expect(RunHistory.isUnreachable(error), "\(error)")
      #expect(!"\(error)".contains(server.password), "\(error)")
    }
    let waited = Date().timeIntervalSince(started)
    #expect(waited >= 1.9 && waited < 30, "waited \(waited) s")
    // Once it answers again, the next query opens a new connection.
    try server.freeze(false)
    _ = try history.runs(profile: "lincoln")
  }

  /// A server that takes the connection but never answers its startup (frozen here; a
  /// restart's moment can look the same): opening the history fails as unreachable after
  /// query_timeout, not after postgres-nio's own 10 s, and a late connection is not kept.
  @Test(.timeLimit(.minutes(1))) func aServerThatNeverAnswersTheStartupFailsTheConnectionAfterTheTimeout() throws {
    let server = try PostgresServer.dedicated()
    let url = "postgresql://\(server.user):\(server.password)@127.0.0.1:\(server.port)/postgres?sslmode=disable"
    try server.freeze(true)
    defer { try? server.freeze(false) }
    let started = Date()
    do {
      _ = try RunHistory(databaseURL: DatabaseURL(url + "&query_timeout=2"))
      Issue.record("a frozen server answered")
    } catch {
      #expect(RunHistory.isUnreachable(error), "\(error)")
      #expect("\(error)".contains("no answer in 2 s"), "\(error)")
    }
    let waited = Date().timeIntervalSince(started)
    #expect(waited >= 1.9 && waited < 8, "waited \(waited) s")
    try server.freeze(false)
    // Thawed, the server finishes the startup it was given: the connection that arrives
    // then, late, is closed, not left open for the process's life.
    let others = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
    var open = ""
    for _ in 0..<50 where open != "0" {
      open = try server.sql(others, database: "postgres").trimmingCharacters(in: .whitespacesAndNewlines)
      if open != "0" { usleep(100_000) }
    }
    #expect(open == "0", "\(open) connections left open")
    _ = try RunHistory(databaseURL: DatabaseURL(url + "&query_timeout=2")).runs(profile: "lincoln")
  }
}
