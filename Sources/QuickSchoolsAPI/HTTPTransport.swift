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
    let session = self.session
    // The timeout is also enforced here: libcurl's own may not cover a server that
    // accepts the connection and then says nothing.
    return await withTaskGroup(of: APIOutcome?.self) { group in
      group.addTask {
        var urlRequest = URLRequest(url: url)
        urlRequest.timeoutInterval = timeout
        do {
          let (data, response) = try await session.data(for: urlRequest)
          let http = response as? HTTPURLResponse
          let retryAfter = http?.value(forHTTPHeaderField: "Retry-After").flatMap(RetryAfter.seconds)
          return .response(status: http?.statusCode ?? 0, retryAfter: retryAfter, body: [UInt8](data))
        } catch let error as URLError {
          return Self.outcome(error)
        } catch {
          return Task.isCancelled ? nil : .lost("the request failed")
        }
      }
      group.addTask {
        try? await Task.sleep(for: .seconds(timeout))
        return Task.isCancelled ? nil : .timedOut
      }
      var result: APIOutcome = .timedOut
      for await outcome in group {
        if let outcome { result = outcome; break }
      }
      group.cancelAll()
      return result
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
