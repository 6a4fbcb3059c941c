import Crypto
import Foundation
import RunHistory
import SyncProfile

/// One profile of a fleet, as its scheduler needs it: where it is, its history, and what
/// it shares with others (its QuickSchools key, its destination host).
public struct FleetMember {
  public let profile: SyncProfile
  public let history: RunHistory
  /// A digest of the QuickSchools API key (never the key): two profiles with the same
  /// key never run at once, so the key's rate limit holds per school. Nil without a key
  /// (a saved dump).
  public let keyDigest: String?
  /// The destination's host ("localhost" for file://): at most so many uploads to one host.
  public let host: String

  public var name: String { profile.name }

  public init(profile: SyncProfile, environment: [String: String]) throws {
    self.profile = profile
    self.history = try RunHistory.open(for: profile, environment: environment)
    self.keyDigest = Self.keyDigest(profile, environment: environment)
    self.host = Self.host(of: profile.sftp.destination)
  }

  static func keyDigest(_ profile: SyncProfile, environment: [String: String]) -> String? {
    let qs = profile.quickschools
    guard qs.fromDump == nil else { return nil }
    var key: String?
    if let variable = qs.apiKeyEnv { key = environment[variable] }
    if let file = qs.apiKeyFile {
      key = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let key, !key.isEmpty else { return nil }
    return SHA256.hash(data: Data(key.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
  }

  /// The host of `sftp://user@host:port/dir`, lowercased; every file:// destination is
  /// "localhost" (one disk, one bound).
  static func host(of destination: String) -> String {
    guard let scheme = destination.range(of: "://"), destination.lowercased().hasPrefix("sftp://") else {
      return "localhost"
    }
    var authority = destination[scheme.upperBound...]
    if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
    if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
      return String(authority[authority.index(after: authority.startIndex)..<close]).lowercased()
    }
    if let colon = authority.lastIndex(of: ":") { authority = authority[..<colon] }
    return authority.lowercased()
  }
}
