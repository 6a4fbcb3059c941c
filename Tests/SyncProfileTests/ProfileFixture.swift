import Foundation

@testable import SyncProfile

/// Profiles written to a fresh temporary folder and loaded from there, as clever-sync
/// will load them: a real file, relative paths under its folder, HOME for `~`.
enum ProfileFixture {
  static let home = "/home/tester"
  static let environment = ["HOME": home]

  /// A new empty folder for one test.
  static func folder() -> String {
    let path = FileManager.default.temporaryDirectory.path + "/syncprofile-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes `text` as `lincoln.toml` in a new folder; returns its path.
  static func write(_ text: String, name: String = "lincoln.toml") -> String {
    let path = folder() + "/" + name
    try! text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func load(_ text: String, environment: [String: String] = environment) throws(ProfileProblems) -> SyncProfile {
    try SyncProfile.load(path: write(text), name: "lincoln", environment: environment)
  }

  /// The problems `text` has, or [] if it loads.
  static func problems(_ text: String) -> [ProfileProblem] {
    do {
      _ = try load(text)
      return []
    } catch {
      return error.problems
    }
  }

  /// The smallest valid profile; tests change a line or add some.
  static let minimal = """
    time_zone = "America/Chicago"
    [quickschools]
    api_key_env = "QS_API_KEY"
    [sftp]
    destination = "sftp://lincoln@sftp.clever.com"
    password_env = "SFTP_PASSWORD"

    """
}
