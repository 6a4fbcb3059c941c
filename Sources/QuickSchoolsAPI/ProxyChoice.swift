import AsyncHTTPClient
import Foundation
import RecordStream

/// The proxy a request to one base URL goes through, read from the environment as curl reads
/// it, since schools behind a proxy set these for every tool: `https_proxy` (or `HTTPS_PROXY`)
/// for https URLs, `http_proxy` for http ones (curl ignores `HTTP_PROXY`: a CGI program's
/// environment can carry it from a request's `Proxy:` header), `all_proxy` (or `ALL_PROXY`)
/// for either; `no_proxy` (or `NO_PROXY`) lists hosts, and their subdomains, reached
/// directly (`*`: every host).
public enum ProxyChoice: Hashable, Sendable {
  case direct
  case http(host: String, port: Int, user: String?, password: String?)
  case socks5(host: String, port: Int)

  public init(for url: URL, environment: [String: String]) throws(StageFailure) {
    let scheme = url.scheme?.lowercased() ?? "https"
    let names = scheme == "http" ? ["http_proxy"] : ["https_proxy", "HTTPS_PROXY"]
    let value = (names + ["all_proxy", "ALL_PROXY"]).lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    guard let value, !Self.bypasses(url.host ?? "", environment["no_proxy"] ?? environment["NO_PROXY"] ?? "")
    else {
      self = .direct
      return
    }
    // curl takes "host:port" with no scheme as http://.
    guard let proxy = URLComponents(string: value.contains("://") ? value : "http://" + value),
      let host = proxy.host, !host.isEmpty
    else {
      // The value is not quoted: it may hold the proxy's password.
      throw StageFailure(.configuration, .proxy, "\(names[0]) (or all_proxy) is not a proxy URL: want http://host:port")
    }
    switch proxy.scheme?.lowercased() {
    case "http":
      self = .http(
        host: host, port: proxy.port ?? 1080, user: proxy.user?.removingPercentEncoding,
        password: proxy.password?.removingPercentEncoding)
    case "socks5", "socks5h": self = .socks5(host: host, port: proxy.port ?? 1080)
    default:
      throw StageFailure(
        .configuration, .proxy, "\(names[0]) (or all_proxy): proxies of scheme \(proxy.scheme ?? "") are not supported (http:// or socks5://)")
    }
  }

  /// `no_proxy`: comma- or space-separated names; "example.com" and ".example.com" both
  /// cover example.com's subdomains; an IP address matches itself only.
  static func bypasses(_ host: String, _ list: String) -> Bool {
    let host = host.lowercased()
    return list.split(whereSeparator: { $0 == "," || $0 == " " }).contains { entry in
      let name = entry.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
      if name == "*" { return true }
      return !name.isEmpty && (host == name || host.hasSuffix("." + name))
    }
  }

  var configuration: HTTPClient.Configuration.Proxy? {
    switch self {
    case .direct: return nil
    case .http(let host, let port, let user, let password):
      let authorization = user.map { HTTPClient.Authorization.basic(username: $0, password: password ?? "") }
      return .server(host: host, port: port, authorization: authorization)
    case .socks5(let host, let port): return .socksServer(host: host, port: port)
    }
  }
}
