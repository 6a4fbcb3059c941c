import Foundation

/// The built tools run as a user would, in a bash line with them on PATH.
///
/// Shared by the test targets that run the executables: QuickSchoolsAPITests holds it,
/// SFTPTransferTests and CleverSyncTests link to it.
enum Shell {
  static let binaries = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
    var records: [[String: Any]] {
      stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
    }
    var types: [String] { records.compactMap { $0["type"] as? String } }
  }

  /// Runs a bash line with the tools on PATH; output through files, so no pipe fills.
  static func run(_ script: String, environment: [String: String] = [:]) throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qsx-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    FileManager.default.createFile(atPath: folder + "/out", contents: nil)
    FileManager.default.createFile(atPath: folder + "/err", contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", "export PATH='\(binaries.path)':$PATH; set -o pipefail; " + script]
    process.standardOutput = FileHandle(forWritingAtPath: folder + "/out")
    process.standardError = FileHandle(forWritingAtPath: folder + "/err")
    process.standardInput = FileHandle.nullDevice
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    // Only the secrets a test gives: never one left in the environment that runs the tests.
    for secret in ["QS_API_KEY", "SFTP_PASSWORD", "SFTP_KEY_PASSPHRASE"] { env.removeValue(forKey: secret) }
    for (key, value) in environment { env[key] = value }
    process.environment = env
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: try String(contentsOfFile: folder + "/out", encoding: .utf8),
      stderr: try String(contentsOfFile: folder + "/err", encoding: .utf8))
  }
}
