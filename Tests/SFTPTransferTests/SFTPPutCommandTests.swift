import Foundation
import Testing
@testable import TestHarness

/// The built `sftp-put` run as a user would, against a real sshd.
@Suite(.serialized, .enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
struct SFTPPutCommandTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Runs a shell line with the tools on PATH (Shell.swift, shared with the other tests).
  func shell(_ script: String, environment: [String: String] = [:]) throws -> Shell.Result {
    try Shell.run(script, environment: environment)
  }

  func url(_ server: TestSSHServer, _ directory: String) -> String {
    "sftp://\(server.user)@127.0.0.1:\(server.port)\(directory)"
  }

  @Test func checkPrintsEveryStepAndFailsAtTheOneThatFails() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("check")
    let good = try shell("sftp-put --check --check-write --known-hosts '\(server.knownHostsPath)' '\(url(server, directory))'",
                         environment: ["SFTP_PASSWORD": server.password])
    #expect(good.status == 0, "\(good.stderr)")
    for step in ["resolve", "connect", "host key", "authenticate", "sftp", "list", "write"] {
      #expect(good.stderr.contains("ok   \(step)"), "\(step): \(good.stderr)")
    }
    #expect(!good.stderr.contains(server.password))
    let bad = try shell("sftp-put --check --known-hosts '\(server.knownHostsPath)' '\(url(server, directory))'",
                        environment: ["SFTP_PASSWORD": "wrong-password-value"])
    #expect(bad.status == 77)
    #expect(bad.stderr.contains("FAIL authenticate"), "\(bad.stderr)")
    #expect(!bad.stderr.contains("wrong-password-value"))
  }

  @Test func thePipelineUploadsCleverCSVsFilesFromItsRecords() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("pipeline")
    let school = Self.repository.appendingPathComponent("examples/lincoln-academy/school.ndjson").path
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("set-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try shell(
      "clever-map '\(school)' 2>/dev/null | clever-validate 2>/dev/null | clever-csv -o '\(out)' 2>/dev/null "
        + "| sftp-put --verify --known-hosts '\(server.knownHostsPath)' '\(url(server, directory))'",
      environment: ["SFTP_PASSWORD": server.password])
    #expect(result.status == 0, "\(result.stderr)")
    let records = result.stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(records.count == 6)
    #expect(records.allSatisfy { $0["type"] as? String == "upload" && $0["status"] as? String == "uploaded" })
    #expect(records.last?["name"] as? String == "students.csv", "students.csv is renamed last")
    for name in ["schools.csv", "students.csv", "teachers.csv", "sections.csv", "enrollments.csv", "staff.csv"] {
      let sent = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
      let arrived = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
      #expect(sent == arrived, "\(name)")
    }
    #expect(result.stderr.contains("uploaded 6 files"))
  }

  @Test func secretsAreRefusedWhereTheyDoNotBelong() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sec-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/schools.csv"
    try "School_id\r\n".write(toFile: file, atomically: false, encoding: .utf8)
    let secret = folder + "/password"
    try server.password.write(toFile: secret, atomically: false, encoding: .utf8)
    chmod(secret, 0o644)
    let open = try shell("sftp-put --password-file '\(secret)' --known-hosts '\(server.knownHostsPath)' '\(url(server, ""))' '\(file)'")
    #expect(open.status == 77)
    #expect(open.stderr.contains("is readable by others"))
    chmod(secret, 0o600)
    let closed = try shell("sftp-put --password-file '\(secret)' --known-hosts '\(server.knownHostsPath)' '\(url(server, ""))' '\(file)'")
    #expect(closed.status == 0, "\(closed.stderr)")
    let inURL = try shell("sftp-put 'sftp://\(server.user):hunter2@127.0.0.1:\(server.port)/' '\(file)'")
    #expect(inURL.status == 64)
    #expect(!inURL.stderr.contains("hunter2"))
    let scp = try shell("sftp-put '\(server.user):hunter2@127.0.0.1:dir' '\(file)'")
    #expect(scp.status == 64)
  }
}
