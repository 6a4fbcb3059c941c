import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import RecordStream

/// The QuickSchools API over HTTPS, with one school's key.
///
/// AsyncHTTPClient does the HTTP, through the proxy the environment names (`ProxyChoice`);
/// the key goes into the URL here and only here, and no URL or client error text leaves this
/// type, so the key cannot reach a message.
public struct HTTPTransport: APITransport {
  public let baseURL: String
  private let key: String
  private let client: HTTPClient

  public init(
    baseURL: String, key: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(StageFailure) {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.key = key
    var proxy = ProxyChoice.direct
    if let url = URL(string: self.baseURL) { proxy = try ProxyChoice(for: url, environment: environment) }
    self.client = HTTPClients.shared.client(proxy)
  }

  public var name: String { URLComponents(string: baseURL)?.host ?? baseURL }

  public func send(_ request: APIRequest, timeout: Double) async -> APIOutcome {
    guard let url = url(for: request) else { return .unreachable("not a URL: \(baseURL)") }
    var httpRequest = HTTPClientRequest(url: url.absoluteString)
    httpRequest.headers.add(name: "Accept", value: "application/json")
    httpRequest.headers.add(name: "User-Agent", value: "qs-extract")
    let deadline = NIODeadline.now() + .nanoseconds(Int64(max(0, timeout) * 1_000_000_000))
    do {
      // The client's deadline ends with the response's head; the body gets what is left.
      let response = try await client.execute(httpRequest, deadline: deadline)
      let body = try await Self.collect(response.body, by: deadline)
      let retryAfter = response.headers.first(name: "Retry-After").flatMap(RetryAfter.seconds)
      return .response(status: Int(response.status.code), retryAfter: retryAfter, body: Array(buffer: body))
    } catch {
      return Self.outcome(error)
    }
  }

  /// The whole body, or deadlineExceeded once `deadline` passes: a server that sends the
  /// head and then stalls times out as one that says nothing does. Cancelling the
  /// collecting task cancels the request.
  static func collect(_ body: HTTPClientResponse.Body, by deadline: NIODeadline) async throws -> ByteBuffer {
    try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
      group.addTask { try await body.collect(upTo: largestAnswer) }
      group.addTask {
        let left = deadline.uptimeNanoseconds.subtractingReportingOverflow(NIODeadline.now().uptimeNanoseconds)
        if !left.overflow, left.partialValue > 0 { try await Task.sleep(nanoseconds: left.partialValue) }
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let collected = first else { throw HTTPClientError.deadlineExceeded }
      return collected
    }
  }

  /// A page of 1,000 students is a few megabytes; far more is not the API answering.
  static let largestAnswer = 512 * 1024 * 1024

  func url(for request: APIRequest) -> URL? {
    let items = request.fullQuery + [("apiKey", key)]
    let query = items.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
    return URL(string: baseURL + request.path + "?" + query)
  }

  private static func escape(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~,")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  /// Our own words for the client's errors, whose texts may quote the URL.
  static func outcome(_ error: any Error) -> APIOutcome {
    if let error = error as? HTTPClientError {
      switch error {
      case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timedOut
      case .remoteConnectionClosed, .cancelled: return .lost("the connection was lost")
      case .invalidURL, .emptyHost: return .unreachable("not a URL the client can use")
      case .proxyAuthenticationRequired: return .unreachable("the proxy asked for a user and password")
      case .httpProxyHandshakeTimeout, .socksHandshakeTimeout: return .timedOut
      // The name only: some of the client's errors carry text from the server.
      default: return .lost("HTTP client error \(String("\(error)".prefix { $0 != "(" }))")
      }
    }
    if error is NIOTooManyBytesError { return .lost("the answer was longer than \(largestAnswer / 1_048_576) MiB") }
    if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
      return .unreachable("the TLS connection failed (certificate or handshake)")
    }
    return socketOutcome(error)
  }

  /// A socket's failure: before a connection (refused, no such host, no route) the host is
  /// unreachable; after one, the connection was lost.
  private static func socketOutcome(_ error: any Error) -> APIOutcome {
    if let error = error as? NIOConnectionError {
      if let first = error.connectionErrors.first { return socketOutcome(first.error) }
      return .unreachable(error.dnsAError != nil || error.dnsAAAAError != nil ? "no such host" : "no address to connect to")
    }
    if let error = error as? IOError {
      switch error.errnoCode {
      case ECONNREFUSED: return .unreachable("connection refused")
      case ENETUNREACH, EHOSTUNREACH: return .unreachable("no route to host")
      case ECONNRESET, EPIPE: return .lost("the connection was reset")
      default: return .lost("socket error (errno \(error.errnoCode))")
      }
    }
    if case .connectTimeout = error as? ChannelError { return .timedOut }
    if error is ChannelError { return .lost("the connection was lost") }
    return .lost("the request failed (\(type(of: error)))")
  }
}

/// One client per proxy for the process: a client keeps its connections, so requests to a
/// host reuse them; static, so never torn down (AsyncHTTPClient asserts that a client is shut
/// down before it goes away, and the process's end is the only end these have).
final class HTTPClients: @unchecked Sendable {
  static let shared = HTTPClients()
  private let lock = NSLock()
  /// Guarded by `lock`.
  private var clients: [ProxyChoice: HTTPClient] = [:]

  func client(_ proxy: ProxyChoice) -> HTTPClient {
    lock.withLock {
      if let client = clients[proxy] { return client }
      var configuration = HTTPClient.Configuration()
      configuration.proxy = proxy.configuration
      // qs-extract retries by its own policy (RequestPolicy); the client's retries would
      // hide a refused connection until its own timeout.
      configuration.connectionPool.retryConnectionEstablishment = false
      configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
      let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
      clients[proxy] = client
      return client
    }
  }
}

/// `Retry-After`: seconds, or an HTTP date (RFC 9110, section 10.2.3).
enum RetryAfter {
  static func seconds(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let seconds = Double(trimmed), seconds >= 0 { return seconds }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: trimmed) else { return nil }
    return max(0, date.timeIntervalSinceNow)
  }
}
