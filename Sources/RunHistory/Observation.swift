import Foundation
import GRDB

/// A live `history --watch`. Keep it; it stops on `cancel()` or when released.
public final class HistoryObservation: @unchecked Sendable {
  private let lock = NSLock()
  private var stops: [() -> Void] = []
  /// The last value seen (PostgreSQL) or `PRAGMA data_version` (SQLite); touched only on the
  /// observation's queue.
  fileprivate var lastRuns: [RunRecord]?
  fileprivate var dataVersion: Int?

  init() {}

  fileprivate func onCancel(_ stop: @escaping () -> Void) { lock.withLock { stops.append(stop) } }

  public func cancel() {
    let stops = lock.withLock {
      defer { self.stops = [] }
      return self.stops
    }
    for stop in stops { stop() }
  }

  deinit { cancel() }
}

extension RunHistory {
  /// Calls `onChange` with the newest `limit` runs of `profile` now and after every change,
  /// made by this process or another, on a private queue.
  public func observe(
    profile: String, limit: Int = 50, pollInterval: TimeInterval = 0.5,
    onChange: @escaping @Sendable ([RunRecord]) -> Void,
    onError: @escaping @Sendable (any Error) -> Void = { _ in }
  ) throws -> HistoryObservation {
    try store.observe(
      pollInterval: pollInterval, fetch: { try Self.runs($0, profile: profile, limit: limit) }, onChange: onChange,
      onError: onError)
  }
}

/// A timer on a private queue, stopped with the observation.
private func poll(
  _ observation: HistoryObservation, every interval: TimeInterval, queue: DispatchQueue,
  _ tick: @escaping (HistoryObservation) -> Void
) {
  let timer = DispatchSource.makeTimerSource(queue: queue)
  timer.schedule(deadline: .now() + interval, repeating: interval)
  timer.setEventHandler { [weak observation] in
    if let observation { tick(observation) }
  }
  observation.onCancel { timer.cancel() }
  timer.resume()
}

extension SQLiteStore {
  /// GRDB's ValueObservation only sees this connection's writes; the daemon writes from
  /// another process, so `PRAGMA data_version` (which moves only on other connections'
  /// commits) is polled and a change re-triggers the observation.
  func observe(
    pollInterval: TimeInterval, fetch: @escaping @Sendable (any StoreTransaction) throws -> [RunRecord],
    onChange: @escaping @Sendable ([RunRecord]) -> Void, onError: @escaping @Sendable (any Error) -> Void
  ) throws -> HistoryObservation {
    let queue = DispatchQueue(label: "RunHistory.observe")
    let observation = HistoryObservation()
    let dbQueue = self.dbQueue
    // Read before the first fetch, so a commit between the two is not missed.
    observation.dataVersion = try dbQueue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }

    let cancellable = ValueObservation
      .tracking { db in try fetch(SQLiteTransaction(db: db)) }
      .removeDuplicates()
      .start(in: dbQueue, scheduling: .async(onQueue: queue), onError: onError, onChange: onChange)
    observation.onCancel { cancellable.cancel() }

    poll(observation, every: pollInterval, queue: queue) { observation in
      do {
        let version = try dbQueue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }
        if version != observation.dataVersion {
          try dbQueue.write { db in try db.notifyChanges(in: Table("run")) }
        }
        observation.dataVersion = version
      } catch {
        onError(error)
      }
    }
    return observation
  }
}

extension PostgresStore {
  /// PostgreSQL is asked again every `pollInterval`; a new answer is passed on.
  func observe(
    pollInterval: TimeInterval, fetch: @escaping @Sendable (any StoreTransaction) throws -> [RunRecord],
    onChange: @escaping @Sendable ([RunRecord]) -> Void, onError: @escaping @Sendable (any Error) -> Void
  ) throws -> HistoryObservation {
    let queue = DispatchQueue(label: "RunHistory.observe")
    let observation = HistoryObservation()
    let first = try read(fetch)
    observation.lastRuns = first
    queue.async { onChange(first) }
    poll(observation, every: pollInterval, queue: queue) { [self] observation in
      do {
        let runs = try read(fetch)
        if runs != observation.lastRuns {
          observation.lastRuns = runs
          onChange(runs)
        }
      } catch {
        onError(error)
      }
    }
    return observation
  }
}
