/// What came back for one attempt at a request.
public enum APIOutcome: Sendable {
  /// An HTTP response: its status, its `Retry-After` (seconds, when given) and its body.
  case response(status: Int, retryAfter: Double?, body: [UInt8])
  /// No answer within the per-request timeout.
  case timedOut
  /// No connection could be made (refused, no such host, no route).
  case unreachable(String)
  /// The connection broke during the exchange.
  case lost(String)
  /// A saved dump has no answer for the request: retrying cannot help.
  case missing(String)
}

/// Sends one attempt at a request. The HTTP transport talks to QuickSchools; a saved
/// dump answers from files; tests may put anything here.
public protocol APITransport: Sendable {
  /// A short name for messages ("api.quickschools.com", "dump lincoln/").
  var name: String { get }
  /// Where the answer to `request` comes from, for a message about that answer: a host,
  /// or a dump's file.
  func source(of request: APIRequest) -> String
  func send(_ request: APIRequest, timeout: Double) async -> APIOutcome
}

extension APITransport {
  public func source(of request: APIRequest) -> String { name }
}
