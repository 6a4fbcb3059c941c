import Foundation
@testable import TestHarness

/// A folder of profiles (a fleet) in a temporary folder: `profiles/NAME.toml`, each with
/// its own state folder and file:// destination, and the scripted QuickSchools server.
final class FleetFixture {
  let folder: String
  var profiles: String { folder + "/profiles" }
  var environment: [String: String] = [:]
  /// Appended to every profile written from now on (a `[history]` section).
  var profileTail = ""

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder + "/profiles", withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: folder) }

  static func key(_ index: Int) -> String { "lincolnacademy.Fleet\(index)SECRET" }

  /// A server that knows `count` keys, each for the example school; each request waits `stall`.
  static func server(keys count: Int, stall: Double = 0) throws -> QSServer {
    var fixtures: [String: String] = [:]
    for index in 0..<count { fixtures[key(index)] = QSServer.exampleSchool }
    return try QSServer(fixtures: fixtures, rules: stall > 0 ? [["path": "*", "stall": stall]] : [])
  }

  func destination(_ name: String) -> String { folder + "/clever/" + name }
  func state(_ name: String) -> String { folder + "/state/" + name }
  func path(_ name: String) -> String { profiles + "/\(name).toml" }

  /// Writes profile `name`, reading key number `key` from the server (or `source` lines),
  /// uploading to its file:// destination (or by `sftp` lines).
  func add(_ name: String, server: QSServer, key: Int, source: String? = nil, sftp: String? = nil) throws {
    try FileManager.default.createDirectory(atPath: destination(name), withIntermediateDirectories: true)
    // A key file, not a variable: a daemon started before the profile was added reads it.
    let keyFile = folder + "/\(name).key"
    FileManager.default.createFile(atPath: keyFile, contents: Data(Self.key(key).utf8), attributes: [.posixPermissions: 0o600])
    let text = """
      time_zone = "America/Chicago"
      state_dir = "\(state(name))"

      [quickschools]
      \(source ?? "base_url = \"\(server.baseURL)\"\napi_key_file = \"\(keyFile)\"\nrate = 0")

      [mapping]

      [sftp]
      \(sftp ?? "destination = \"file://\(destination(name))\"")

      \(profileTail)
      """
    try text.write(toFile: path(name), atomically: true, encoding: .utf8)
  }

  func sync(_ arguments: String) throws -> Shell.Result {
    try Shell.run("clever-sync \(arguments)", environment: environment)
  }

  /// Schedules one run of `name` at +`seconds`s.
  func schedule(_ name: String, in seconds: Int = 1) throws {
    let added = try sync("schedule add --at +\(seconds)s --profile '\(path(name))'")
    guard added.status == 0 else { throw FleetSetupFailed(what: "schedule add \(name): \(added.stderr)") }
  }

  /// The fleet's history, as `history --all --json` gives it.
  func history(_ filters: String = "") throws -> [[String: Any]] {
    try sync("history --profiles '\(profiles)' --json --limit 1000 \(filters)").records
  }

  /// `clever-sync daemon --profiles` on the folder, `--jobs 2 --poll 60` and `extra`;
  /// what it says goes to `daemon.log`. --poll 60: what it picks up within a test,
  /// SIGHUP (or the folder's change) told it.
  func spawnDaemon(_ extra: [String] = []) throws -> Process {
    let process = Process()
    process.executableURL = Shell.binaries.appendingPathComponent("clever-sync")
    process.arguments = ["daemon", "--profiles", profiles, "--jobs", "2", "--poll", "60"] + extra
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in self.environment { environment[key] = value }
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    FileManager.default.createFile(atPath: folder + "/daemon.log", contents: nil)
    process.standardError = FileHandle(forWritingAtPath: folder + "/daemon.log")
    try process.run()
    return process
  }

  /// The status of profile `name`'s latest run.
  func status(_ name: String) throws -> String? {
    try history("--profile \(name)").first?["status"] as? String
  }

  /// Whether profile `name`'s latest run has status `wanted` within `seconds`.
  func waitFor(_ name: String, _ wanted: String, seconds: Double = 20) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try status(name) == wanted { return true }
      usleep(100_000)
    }
    return false
  }

  /// The .csv files uploaded to `name`'s destination.
  func uploaded(_ name: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: destination(name))) ?? []).filter { $0.hasSuffix(".csv") }
  }

  /// Each key's span of API requests on the server: [first, last] request time.
  static func spans(_ server: QSServer) throws -> [String: (start: Double, end: Double)] {
    var spans: [String: (Double, Double)] = [:]
    for entry in try server.log() {
      guard let key = entry.query["apiKey"] else { continue }
      let old = spans[key] ?? (entry.time, entry.time)
      spans[key] = (min(old.0, entry.time), max(old.1, entry.time))
    }
    return spans
  }

  /// The most spans that overlap at one moment.
  static func maxOverlap(_ spans: [(start: Double, end: Double)]) -> Int {
    let events = spans.flatMap { [($0.start, 1), ($0.end, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    var now = 0, most = 0
    for (_, step) in events {
      now += step
      most = max(most, now)
    }
    return most
  }
}

struct FleetSetupFailed: Error { let what: String }
