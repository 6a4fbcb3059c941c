import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The scripted QuickSchools server (Server/qs-server.py) on a free loopback port,
/// started by a test and stopped when it is done.
final class QSServer {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let script = repository.appendingPathComponent("Tests/QuickSchoolsAPITests/Server/qs-server.py").path
  static let exampleSchool = repository.appendingPathComponent("examples/lincoln-academy/school.ndjson").path
  /// The example school's key: its code, a dot, a secret part that must never be printed.
  static let exampleKey = "lincolnacademy.Xk9pQ2v7Zt4sECRET"

  let port: Int
  private let process: Process
  var baseURL: String { "http://127.0.0.1:\(port)/sms/v1" }

  /// Starts it with `fixtures` (key to qs.* NDJSON file), the rules in `rules`, and the
  /// server's own `options` (`--student-section-ids`).
  init(fixtures: [String: String] = [QSServer.exampleKey: QSServer.exampleSchool], rules: [[String: Any]] = [],
       options: [String] = []) throws {
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    var arguments = ["python3", Self.script, "--port", "0"] + options
    for (key, file) in fixtures.sorted(by: { $0.key < $1.key }) { arguments += ["--fixture", "\(key)=\(file)"] }
    if !rules.isEmpty {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("qs-rules-\(UUID().uuidString).json")
      try JSONSerialization.data(withJSONObject: rules).write(to: file)
      arguments += ["--script", file.path]
    }
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The first line is `port=N`, printed once it listens.
    var line = Data()
    while !line.contains(0x0A) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("port="), let port = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
      process.terminate()
      throw ServerDidNotStart(output: text)
    }
    self.port = port
  }

  deinit { stop() }

  func stop() {
    guard process.isRunning else { return }
    // SIGKILL, not terminate(): a child spawned from the test process may inherit a
    // signal mask that blocks SIGTERM, and the server keeps nothing worth a clean exit.
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  /// Replaces the rules.
  func script(_ rules: [[String: Any]]) throws {
    _ = try call("POST", "/_control", body: try JSONSerialization.data(withJSONObject: rules))
  }

  /// Clears the request log and the rules' counters.
  func reset() throws {
    _ = try call("POST", "/_reset", body: nil)
  }

  /// Every API request so far: path, query, status, and when (seconds since start).
  func log() throws -> [(path: String, query: [String: String], status: Int, time: Double)] {
    let data = try call("GET", "/_log", body: nil)
    let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    return entries.map {
      ($0["path"] as? String ?? "", $0["query"] as? [String: String] ?? [:], $0["status"] as? Int ?? 0,
       $0["t"] as? Double ?? 0)
    }
  }

  private func call(_ method: String, _ path: String, body: Data?) throws -> Data {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = method
    request.httpBody = body
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<Data, any Error> = .failure(ServerDidNotStart(output: "no answer"))
    URLSession.shared.dataTask(with: request) { data, _, error in
      result = error.map { .failure($0) } ?? .success(data ?? Data())
      done.signal()
    }.resume()
    done.wait()
    return try result.get()
  }
}

struct ServerDidNotStart: Error { let output: String }
