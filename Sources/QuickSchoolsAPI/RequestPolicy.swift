/// How politely and how patiently the API is asked.
public struct RequestPolicy: Sendable {
  /// Requests per second at most, over all requests of the run; 0 means no limit (a dump).
  public var rate: Double = 4
  /// Section enrollment requests in flight at once.
  public var concurrency = 4
  /// Retries of one request after a timeout, 429, 5xx or a broken connection.
  public var retries = 4
  /// Seconds one attempt may take.
  public var timeout: Double = 60
  /// Seconds the whole run may take.
  public var deadline: Double = 4 * 3600
  /// Items per page asked for (clients use up to 1000).
  public var itemsPerPage = 1000
  /// The first backoff, in seconds; it doubles each retry, up to `maximumBackoff`.
  public var firstBackoff: Double = 1
  public var maximumBackoff: Double = 60

  public init() {}

  /// The wait before retry `number` (1-based): exponential, with jitter so that many
  /// clients that failed together do not come back together ("equal jitter": half fixed,
  /// half random).
  func backoff(retry number: Int) -> Double {
    let ceiling = min(maximumBackoff, firstBackoff * Double(1 << min(number - 1, 20)))
    return ceiling / 2 + Double.random(in: 0...(ceiling / 2))
  }
}

/// Spaces requests at least 1/rate seconds apart, across every task of the run.
actor RateLimiter {
  private let interval: Duration
  private var next = ContinuousClock.now

  init(rate: Double) {
    interval = rate > 0 ? .nanoseconds(Int64(1e9 / rate)) : .zero
  }

  /// Waits for this request's turn.
  func wait() async {
    guard interval > .zero else { return }
    let now = ContinuousClock.now
    let slot = max(now, next)
    next = slot + interval
    if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
  }
}
