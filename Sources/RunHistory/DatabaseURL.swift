import Foundation

/// A PostgreSQL connection URL, `postgresql://user:password@host:port/database?sslmode=...`.
/// It is a secret (it holds the password): its description leaves the password out.
public struct DatabaseURL: Sendable, CustomStringConvertible {
  public enum TLSMode: String, Sendable { case disable, prefer, require }

  public let host: String
  public let port: Int
  public let user: String
  let password: String?
  public let database: String
  public let tls: TLSMode
  /// Seconds a connection or a query may wait for an answer (`query_timeout`, clever-sync's own parameter).
  public let queryTimeout: Int

  /// Refusals quote the URL without its password, never the text given.
  public init(_ text: String) throws {
    let shown = Self.redacted(text)
    func refuse(_ why: String) -> HistoryError { .badDatabaseURL(shown, why) }
    guard let parts = URLComponents(string: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw refuse("it is not a URL")
    }
    guard let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme) else {
      throw refuse("it must start with postgresql://")
    }
    guard let host = parts.host, !host.isEmpty else { throw refuse("it names no host") }
    guard let user = parts.user, !user.isEmpty else { throw refuse("it names no user") }
    self.host = host
    self.port = parts.port ?? 5432
    self.user = user.removingPercentEncoding ?? user
    self.password = parts.password.map { $0.removingPercentEncoding ?? $0 }
    let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
    self.database = path.isEmpty ? self.user : (path.removingPercentEncoding ?? path)
    var tls = TLSMode.prefer
    var queryTimeout = Self.defaultQueryTimeout
    for item in parts.queryItems ?? [] {
      switch item.name {
      case "sslmode":
        guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
          throw refuse("sslmode must be disable, prefer or require")
        }
        tls = mode
      case "query_timeout":
        guard let seconds = item.value.flatMap(Int.init), (1...3600).contains(seconds) else {
          throw refuse("query_timeout must be a number of seconds from 1 to 3600")
        }
        queryTimeout = seconds
      default: throw refuse("unknown parameter \(item.name) (only sslmode and query_timeout)")
      }
    }
    self.tls = tls
    self.queryTimeout = queryTimeout
  }

  /// Seconds a connection or a query waits for the server's answer before it is closed.
  public static let defaultQueryTimeout = 60

  public var description: String {
    "postgresql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
  }

  /// `text` with whatever stands between `user:` and `@` replaced, for messages about a URL
  /// that could not be read.
  static func redacted(_ text: String) -> String {
    guard let scheme = text.range(of: "://"), let at = text.range(of: "@", options: .backwards),
      scheme.upperBound < at.lowerBound
    else { return text.contains("@") ? "<redacted>" : text }
    let credentials = text[scheme.upperBound..<at.lowerBound]
    guard let colon = credentials.firstIndex(of: ":") else { return text }
    return String(text[..<colon]) + ":<redacted>" + String(text[at.lowerBound...])
  }
}
