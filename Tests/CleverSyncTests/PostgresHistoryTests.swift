import Foundation
@testable import TestHarness
import Testing

/// A profile with `[history] store = "postgresql"`: clever-sync records its runs in the
/// tests' PostgreSQL server, and never prints the URL's password.
@Suite struct PostgresHistoryTests {
  @Test func runIsRecordedInPostgresAndThePasswordIsNeverPrinted() throws {
    let server = try PostgresServer.shared()
    let database = try server.makeDatabase()
    let fixture = try SyncFixture()
    try fixture.write(extra: "[history]\nstore = \"postgresql\"")
    let environment = ["CLEVER_SYNC_DATABASE_URL": database.url]

    let run = try fixture.sync("run", environment: environment)
    #expect(run.status == 0, "\(run.stderr)")
    let rows = try server.sql("SELECT profile, status, uploaded FROM run", database: database.name)
    #expect(rows == "test|succeeded|t\n")
    #expect(!FileManager.default.fileExists(atPath: fixture.state + "/history.sqlite"))
    #expect(try fixture.history(environment).map { $0["status"] as? String } == ["Succeeded"])

    // Every message that names the store, the failing ones too, leaves the password out.
    let wrong = database.url.replacingOccurrences(of: server.password, with: "not-the-password-x")
    let refused = try fixture.sync("run", environment: ["CLEVER_SYNC_DATABASE_URL": wrong])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("127.0.0.1:\(server.port)/\(database.name)"), "\(refused.stderr)")
    let broken = try fixture.sync("run", environment: ["CLEVER_SYNC_DATABASE_URL": "mysql://u:\(server.password)@h/x"])
    #expect(broken.status != 0)
    for result in [run, refused, broken] {
      for text in [result.stdout, result.stderr] {
        #expect(!text.contains(server.password) && !text.contains("not-the-password-x"), "\(text)")
      }
    }
  }

  @Test func theURLComesFromAPrivateFileNeverFromTheProfile() throws {
    let server = try PostgresServer.shared()
    let database = try server.makeDatabase()
    let fixture = try SyncFixture()
    let file = fixture.folder + "/database-url"
    try (database.url + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    chmod(file, 0o644)
    try fixture.write(extra: "[history]\nstore = \"postgresql\"\ndatabase_url_file = \"\(file)\"")
    let loose = try fixture.sync("run")
    #expect(loose.status != 0 && loose.stderr.contains("chmod 600"), "\(loose.stderr)")
    chmod(file, 0o600)
    let run = try fixture.sync("run")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try server.sql("SELECT count(*) FROM run", database: database.name) == "1\n")

    try fixture.write(extra: "[history]\nstore = \"postgresql\"\ndatabase_url = \"\(database.url)\"")
    let refused = try fixture.sync("run")
    #expect(refused.status != 0 && refused.stderr.contains("database_url is a secret"), "\(refused.stderr)")
    #expect(!refused.stderr.contains(server.password))
  }
}
