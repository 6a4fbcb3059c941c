import Foundation
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The QuickSchools API over HTTPS, with one school's key.
///
/// URLSession (libcurl on Linux) does the HTTP; the key goes into the URL here and only
/// here, and no URL or URLError text leaves this type, so the key cannot reach a message.
public struct HTTPTransport: APITransport {
  public let baseURL: String
  private let key: String
  private let session: URLSession

  public init(baseURL: String, key: String) {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.key = key
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpAdditionalHeaders = ["Accept": "application/json", "User-Agent": "qs-extract"]
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    self.session = URLSession(configuration: configuration)
  }

  public var name: String { URLComponents(string: baseURL)?.host ?? baseURL }

  public func send(_ request: APIRequest, timeout: Double) async -> APIOutcome {
    guard let url = url(for: request) else { return .unreachable("not a URL: \(baseURL)") }
    var urlRequest = URLRequest(url: url)
    urlRequest.timeoutInterval = timeout
    let session = self.session
    // The callback API with a timer of our own, not `data(for:)` under a task group:
    // cancelling that one through Swift concurrency can deadlock in Linux's
    // URLSession, and libcurl's timeout may not cover a server that accepts the
    // connection and then says nothing.
    return await withCheckedContinuation { (continuation: CheckedContinuation<APIOutcome, Never>) in
      let answer = OneAnswer(continuation)
      let task = session.dataTask(with: urlRequest) { data, response, error in
        if let error = error as? URLError {
          answer.give(Self.outcome(error) ?? .timedOut)
        } else if error != nil {
          answer.give(.lost("the request failed"))
        } else {
          let http = response as? HTTPURLResponse
          let retryAfter = http?.value(forHTTPHeaderField: "Retry-After").flatMap(RetryAfter.seconds)
          answer.give(.response(status: http?.statusCode ?? 0, retryAfter: retryAfter, body: [UInt8](data ?? Data())))
        }
      }
      task.resume()
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
        answer.give(.timedOut)
        task.cancel()
      }
    }
  }

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

  /// Our own words for URLSession's errors, whose texts may quote the URL.
  private static func outcome(_ error: URLError) -> APIOutcome? {
    switch error.code {
    case .cancelled: return nil
    case .timedOut: return .timedOut
    case .cannotFindHost, .dnsLookupFailed: return .unreachable("no such host")
    case .cannotConnectToHost: return .unreachable("connection refused")
    case .notConnectedToInternet: return .unreachable("no network")
    case .networkConnectionLost: return .lost("the connection was lost")
    case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
      .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
      return .unreachable("the TLS connection failed (certificate or handshake, URLError \(error.code.rawValue))")
    case .badServerResponse, .cannotParseResponse: return .lost("the server's answer was not HTTP")
    default: return .lost("URLError \(error.code.rawValue)")
    }
  }
}

/// Resumes a continuation once: with the answer or the timeout, whichever comes first.
private final class OneAnswer: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<APIOutcome, Never>?

  init(_ continuation: CheckedContinuation<APIOutcome, Never>) { self.continuation = continuation }

  func give(_ outcome: APIOutcome) {
    let waiting = lock.withLock { () -> CheckedContinuation<APIOutcome, Never>? in
      defer { continuation = nil }
      return continuation
    }
    waiting?.resume(returning: outcome)
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
