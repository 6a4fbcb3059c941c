import Foundation
@testable import TestHarness

/// A profile in a temporary folder: its TOML, its state directory, a destination
/// folder, and clever-sync run as a user would.
final class SyncFixture {
  let folder: String
  var profilePath: String { folder + "/test.toml" }
  var state: String { folder + "/state" }
  var destination: String { folder + "/clever" }
  static let exampleDump = QSServer.repository.appendingPathComponent("examples/lincoln-academy/dump").path

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder + "/clever", withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: folder) }

  /// Writes the profile: the source and destination lines are the test's; the rest are
  /// defaults every test shares.
  func write(source: String = "from_dump = \"\(SyncFixture.exampleDump)\"", sftp: String? = nil, extra: String = "",
             zone: String = "America/Chicago", mapping: String = "") throws {
    let text = """
      time_zone = "\(zone)"
      state_dir = "\(state)"

      [quickschools]
      \(source)

      [mapping]
      \(mapping)

      [sftp]
      \(sftp ?? "destination = \"file://\(destination)\"")

      \(extra)
      """
    try text.write(toFile: profilePath, atomically: true, encoding: .utf8)
  }

  func sync(_ arguments: String, environment: [String: String] = [:]) throws -> Shell.Result {
    try Shell.run("clever-sync \(arguments) --profile '\(profilePath)'", environment: environment)
  }

  /// The history as JSON objects, newest first.
  func history(_ environment: [String: String] = [:]) throws -> [[String: Any]] {
    try sync("history --json --limit 100", environment: environment).records
  }

  /// Spawns clever-sync in the background (for runs that must be caught while Running).
  func spawn(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = Shell.binaries.appendingPathComponent("clever-sync")
    process.arguments = arguments + ["--profile", profilePath]
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Waits until the newest run has `status` (as history shows it), up to `seconds`.
  func waitFor(_ status: String, seconds: Double = 20) throws -> [String: Any]? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let run = try history().first, run["status"] as? String == status { return run }
      usleep(50_000)
    }
    return nil
  }

  /// The [quickschools] lines for the scripted server; the key goes in TEST_QS_KEY.
  static func apiSource(_ server: QSServer) -> String {
    "base_url = \"\(server.baseURL)\"\napi_key_env = \"TEST_QS_KEY\"\nrate = 0"
  }

  /// The [sftp] lines for a test sshd: its folder `remote`, the password in
  /// TEST_SFTP_PASSWORD, and `knownHosts` (the server's own file by default).
  static func sftpLines(_ sshd: TestSSHServer, _ remote: String, knownHosts: String? = nil, verify: Bool = false)
    -> String
  {
    """
    destination = "sftp://\(sshd.user)@127.0.0.1:\(sshd.port)\(remote)"
    password_env = "TEST_SFTP_PASSWORD"
    known_hosts = "\(knownHosts ?? sshd.knownHostsPath)"
    \(verify ? "verify = true" : "")
    """
  }

  /// The .csv files of a folder by name (hidden temporaries are not part of a set).
  static func csvSet(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    where name.hasSuffix(".csv") && !name.hasPrefix(".") {
      files[name] = FileManager.default.contents(atPath: folder + "/" + name)
    }
    return files
  }

  /// The example school with 12 of its 39 students gone: a set the guard holds.
  func smallerSchool() throws -> String {
    var removed = 0
    let lines = try String(contentsOfFile: QSServer.exampleSchool, encoding: .utf8).split(separator: "\n").filter { line in
      guard line.contains("\"qs.student\""), removed < 12 else { return true }
      removed += 1
      return false
    }
    let smaller = folder + "/smaller.ndjson"
    try (lines.joined(separator: "\n") + "\n").write(toFile: smaller, atomically: true, encoding: .utf8)
    return smaller
  }

  /// Every file under the state directory, with its text (binary files as Latin-1).
  func stateFiles() -> [(path: String, text: String)] {
    let enumerator = FileManager.default.enumerator(atPath: state)
    var files: [(String, String)] = []
    while let name = enumerator?.nextObject() as? String {
      let path = state + "/" + name
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
        let data = FileManager.default.contents(atPath: path)
      else { continue }
      files.append((path, String(decoding: data, as: UTF8.self) + (String(data: data, encoding: .isoLatin1) ?? "")))
    }
    return files
  }
}
