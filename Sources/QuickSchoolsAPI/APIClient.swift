import Foundation
import RecordStream

/// One school's conversation with the API: rate-limited, retried, on the backup host
/// when the main one is down, recorded when a dump is being saved, and counted.
public actor APIClient {
  private let transports: [any APITransport]
  private var host = 0
  private let policy: RequestPolicy
  private let limiter: RateLimiter
  private let deadline: ContinuousClock.Instant
  private let recorder: DumpRecorder?
  private let onRequest: @Sendable (APIRequest) -> Void
  /// The key, only to strike it from any text that could echo it.
  private let redactor: Redactor

  public private(set) var requests = 0
  public private(set) var retries = 0

  public init(
    transports: [any APITransport], policy: RequestPolicy, limiter: RateLimiterHandle, deadline: ContinuousClock.Instant,
    recorder: DumpRecorder? = nil, redactor: Redactor = Redactor([]),
    onRequest: @escaping @Sendable (APIRequest) -> Void = { _ in }
  ) {
    precondition(!transports.isEmpty)
    self.transports = transports
    self.policy = policy
    self.limiter = limiter.limiter
    self.deadline = deadline
    self.recorder = recorder
    self.redactor = redactor
    self.onRequest = onRequest
  }

  /// The body of `request`, read into its shape; every retry and failure rule applied.
  func get(_ request: APIRequest, listKey: [String]? = nil) async throws(StageFailure) -> ResponseShape {
    try await fetch(request, listKey: listKey, absentIsNil: false)!
  }

  /// The same, but nil when the endpoint does not exist (HTTP 404, or a saved dump
  /// without it): for the endpoints that are not confirmed.
  func getIfPresent(_ request: APIRequest) async throws(StageFailure) -> ResponseShape? {
    try await fetch(request, listKey: nil, absentIsNil: true)
  }

  private func fetch(_ request: APIRequest, listKey: [String]?, absentIsNil: Bool) async throws(StageFailure)
    -> ResponseShape?
  {
    var failures = 0
    while true {
      try checkDeadline(request)
      await limiter.wait()
      try checkDeadline(request)
      requests += 1
      onRequest(request)
      let transport = transports[host]
      let remaining = Double((deadline - .now).components.seconds) + 1
      let outcome = await transport.send(request, timeout: min(policy.timeout, max(remaining, 1)))

      let trouble: Trouble
      var wait: Double?
      switch outcome {
      case .response(let status, _, let body) where (200..<300).contains(status):
        let shape: ResponseShape
        do throws(ShapeProblem) {
          shape = try ResponseShape.read(body, listKey: listKey)
        } catch {
          throw StageFailure(
            .protocolError, .shape,
            "GET \(request.display) (\(transport.source(of: request))): \(error.reason); the answer began: \(excerpt(body))")
        }
        try recorder?.save(request, body: body)
        return shape
      case .response(404, _, _) where absentIsNil:
        return nil
      case .missing where absentIsNil:
        return nil
      case .response(let status, _, _) where status == 401 || status == 403:
        throw StageFailure(
          .permissionDenied, .key,
          "GET \(request.display) was refused (HTTP \(status)): check the API key (Settings, App Developer Console, API Keys)")
      case .response(429, let retryAfter, _):
        trouble = .rateLimited
        wait = retryAfter
      case .response(let status, _, _) where status >= 500 || status == 408:
        trouble = status == 408 ? .timeout : .server(status)
      case .response(let status, _, let body):
        throw StageFailure(
          .protocolError, .http, "GET \(request.display) (\(transport.name)) answered HTTP \(status): \(excerpt(body))")
      case .timedOut:
        trouble = .timeout
      case .unreachable(let why):
        trouble = .unreachable(why)
      case .lost(let why):
        trouble = .lost(why)
      case .missing(let why):
        throw StageFailure(.noInput, .dump, why)
      }

      failures += 1
      if trouble.movesToBackup, transports.count > 1 { host = (host + 1) % transports.count }
      guard failures <= policy.retries else { throw trouble.failure(request, attempts: failures, host: transport.name) }
      retries += 1
      let delay = wait.map { min($0, policy.maximumBackoff * 2) } ?? policy.backoff(retry: failures)
      guard ContinuousClock.now + .seconds(delay) < deadline else {
        throw StageFailure(
          .temporaryFailure, .deadline,
          "GET \(request.display): \(trouble.summary), and the next try (in \(Int(delay.rounded(.up))) s) would pass --deadline")
      }
      try? await Task.sleep(for: .seconds(delay))
    }
  }

  /// One attempt at `request`, for the probe: the HTTP status and, for a 2xx, the shape
  /// of the answer; nothing is retried and no HTTP status throws. `trouble` says why
  /// there is no status (in words of ours, never the answer's).
  func look(_ request: APIRequest) async -> (status: Int?, shape: ResponseShape?, trouble: String?) {
    await limiter.wait()
    requests += 1
    onRequest(request)
    switch await transports[host].send(request, timeout: policy.timeout) {
    case .response(let status, _, let body) where (200..<300).contains(status):
      guard let shape = try? ResponseShape.read(body) else { return (status, nil, "an answer of no known shape") }
      try? recorder?.save(request, body: body)
      return (status, shape, nil)
    case .response(let status, _, _): return (status, nil, nil)
    case .timedOut: return (nil, nil, "no answer within --timeout")
    case .unreachable: return (nil, nil, "the host cannot be reached")
    case .lost: return (nil, nil, "the connection broke")
    case .missing: return (nil, nil, "not in the saved dump")
    }
  }

  private func checkDeadline(_ request: APIRequest) throws(StageFailure) {
    guard ContinuousClock.now < deadline else {
      throw StageFailure(.temporaryFailure, .deadline, "the run passed --deadline before GET \(request.display)")
    }
  }

  /// The start of a body, on one line, for a message, without the key.
  private func excerpt(_ body: [UInt8]) -> String {
    redactor.clean(QuotedInput.excerpt(body))
  }
}

/// What went wrong with one attempt, when trying again may help.
private enum Trouble {
  case rateLimited, timeout
  case server(Int)
  case unreachable(String), lost(String)

  /// Another host may answer when this one is down; a 429 or timeout is about load.
  var movesToBackup: Bool {
    switch self {
    case .server, .unreachable, .lost: true
    case .rateLimited, .timeout: false
    }
  }

  var summary: String {
    switch self {
    case .rateLimited: "rate-limited (HTTP 429)"
    case .timeout: "no answer in time"
    case .server(let status): "server error (HTTP \(status))"
    case .unreachable(let why): "unreachable (\(why))"
    case .lost(let why): why
    }
  }

  func failure(_ request: APIRequest, attempts: Int, host: String) -> StageFailure {
    let tail = attempts == 1 ? "after 1 attempt" : "after \(attempts) attempts"
    switch self {
    case .rateLimited:
      return StageFailure(
        .temporaryFailure, .rateLimited,
        "GET \(request.display): still rate-limited (HTTP 429) \(tail); try later, or lower --rate")
    case .timeout:
      return StageFailure(
        .temporaryFailure, .timeout, "GET \(request.display): no answer from \(host) within --timeout, \(tail)")
    case .server(let status):
      return StageFailure(.unavailable, .server, "GET \(request.display): \(host) answered HTTP \(status) \(tail)")
    case .unreachable(let why):
      return StageFailure(.unavailable, .unreachable, "cannot reach \(host): \(why) (\(tail))")
    case .lost(let why):
      return StageFailure(.temporaryFailure, .unreachable, "GET \(request.display) from \(host): \(why), \(tail)")
    }
  }
}

/// One rate limit shared by every school's client in a run.
public struct RateLimiterHandle: Sendable {
  let limiter: RateLimiter
  public init(rate: Double) { limiter = RateLimiter(rate: rate) }
}

/// Strikes the API keys out of any text that might quote them.
public struct Redactor: Sendable {
  private let secrets: [String]
  public init(_ secrets: [String]) { self.secrets = secrets.filter { $0.count >= 4 } }

  public func clean(_ text: String) -> String {
    secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
  }
}
