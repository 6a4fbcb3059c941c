import Foundation
import Testing
@testable import QuickSchoolsAPI
@testable import TestHarness

/// qs-extract through the proxy the environment names, as curl reads it.
@Suite(.serialized)
struct ProxyTests {
  let key = QSServer.exampleKey

  /// qs-extract against the scripted server with these proxy variables.
  func extract(_ server: QSServer, _ proxyVariables: [String: String]) throws -> Shell.Result {
    try Shell.run(
      "qs-extract --base-url \(server.baseURL) --rate 0", environment: proxyVariables.merging(["QS_API_KEY": key]) { $1 })
  }

  @Test func anExtractGoesThroughHttpProxyAndReadsTheSameRecords() throws {
    let server = try QSServer()
    let proxy = try ConnectProxy()
    let result = try extract(server, ["http_proxy": "http://user:pa%40ss@127.0.0.1:\(proxy.port)", "no_proxy": ""])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.records.filter { $0["type"] as? String == "qs.student" }.count > 0)
    let requests = proxy.requests()
    #expect(!requests.isEmpty, "the proxy saw nothing")
    // Every request went to the API's host, with the proxy's credentials.
    #expect(requests.allSatisfy { $0.contains("127.0.0.1:\(server.port)") && $0.hasSuffix(" auth") }, "\(requests)")
    #expect(!result.stderr.contains("pa%40ss") && !result.stderr.contains("pa@ss"))
  }

  @Test func noProxyNamesAHostReachedDirectly() throws {
    let server = try QSServer()
    let proxy = try ConnectProxy()
    let result = try extract(server, ["http_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": "example.org,127.0.0.1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(proxy.requests().isEmpty)
  }

  @Test func aProxyThatIsNotAURLExits78AndIsNotQuoted() throws {
    let result = try Shell.run(
      "qs-extract --base-url https://api.example.org/sms/v1",
      environment: ["QS_API_KEY": key, "https_proxy": "ftp://user:hunter2@proxy.example.org", "no_proxy": ""])
    #expect(result.status == 78, "\(result.stderr)")
    #expect(result.stderr.contains("[E_QS_PROXY]") && result.stderr.contains("https_proxy"), "\(result.stderr)")
    #expect(!result.stderr.contains("hunter2"))
  }

  @Test func theChoiceFollowsCurl() throws {
    let https = URL(string: "https://api.quickschools.com/sms/v1")!
    let http = URL(string: "http://api.quickschools.com/sms/v1")!
    #expect(try ProxyChoice(for: https, environment: [:]) == .direct)
    #expect(try ProxyChoice(for: https, environment: ["HTTPS_PROXY": "proxy:3128"])
      == .http(host: "proxy", port: 3128, user: nil, password: nil))
    // HTTP_PROXY in capitals is not read (a CGI program's environment can carry it).
    #expect(try ProxyChoice(for: http, environment: ["HTTP_PROXY": "http://proxy:3128"]) == .direct)
    #expect(try ProxyChoice(for: http, environment: ["ALL_PROXY": "socks5://proxy"]) == .socks5(host: "proxy", port: 1080))
    #expect(try ProxyChoice(for: https, environment: ["https_proxy": "http://p:1", "no_proxy": ".quickschools.com"]) == .direct)
    #expect(try ProxyChoice(for: https, environment: ["https_proxy": "http://p:1", "no_proxy": "*"]) == .direct)
    #expect(try ProxyChoice(for: https, environment: ["https_proxy": "http://p:1", "no_proxy": "schools.com"])
      == .http(host: "p", port: 1, user: nil, password: nil))
  }
}

/// Server/connect-proxy.py on a free loopback port; what it saw, one line per request.
private final class ConnectProxy {
  static let script = QSServer.repository.appendingPathComponent("Tests/QuickSchoolsAPITests/Server/connect-proxy.py").path
  let port: Int
  private let process = Process()
  private let log = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-\(UUID().uuidString).log")

  init() throws {
    FileManager.default.createFile(atPath: log.path, contents: nil)
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", Self.script]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = try FileHandle(forWritingTo: log)
    try process.run()
    let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
    guard line.hasPrefix("port="), let port = Int(line.dropFirst(5).prefix { $0.isNumber }) else {
      kill(process.processIdentifier, SIGKILL)
      throw ServerDidNotStart(output: line)
    }
    self.port = port
  }

  deinit {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: log)
  }

  func requests() -> [String] {
    (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
  }
}
