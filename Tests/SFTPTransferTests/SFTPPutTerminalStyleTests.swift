import Foundation
import Testing
@testable import TestHarness

/// sftp-put's progress line, against a real sshd: on a terminal, and never with
/// `NO_COLOR` set to a value that is not empty or with standard error a pipe.
@Suite(.serialized, .enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
struct SFTPPutTerminalStyleTests {
  /// Uploads a small file, as `wrap` puts the command (it holds `COMMAND`).
  private func upload(environment: [String: String], wrap: String = "COMMAND") throws -> PseudoTerminal.Result {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("style")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("style-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/schools.csv"
    try ("School_id,School_name,School_number\r\n" + String(repeating: "1,A,1\r\n", count: 5000))
      .write(toFile: file, atomically: false, encoding: .utf8)
    let command = "sftp-put --known-hosts '\(server.knownHostsPath)' "
      + "'sftp://\(server.user)@127.0.0.1:\(server.port)\(directory)' '\(file)' > /dev/null"
    var env = environment
    env["SFTP_PASSWORD"] = server.password
    let result = try PseudoTerminal.run(wrap.replacingOccurrences(of: "COMMAND", with: command), environment: env)
    #expect(result.status == 0, "\(result.text)")
    #expect(result.text.contains("sftp-put: uploaded 1 file"), "\(result.text)")
    return result
  }

  @Test func aTerminalShowsTheProgress() throws {
    for environment in [[:], ["NO_COLOR": ""]] {
      let result = try upload(environment: environment)
      #expect(result.count("\rsftp-put: 100% (") == 1, "\(environment): \(result.text.debugDescription)")
      #expect(result.count("\r\u{1B}[K") == 1, "erased at the end: \(result.text.debugDescription)")
    }
  }

  @Test func noColourSetMeansNoProgress() throws {
    let result = try upload(environment: ["NO_COLOR": "1"])
    #expect(result.count("\u{1B}") == 0 && result.count("\r") == 0, "\(result.text.debugDescription)")
  }

  @Test func aPipeGetsNoProgress() throws {
    let result = try upload(environment: [:], wrap: "{ COMMAND; } 2>&1 | cat >&2")
    #expect(result.count("\u{1B}") == 0 && result.count("\r") == 0, "\(result.text.debugDescription)")
  }
}
