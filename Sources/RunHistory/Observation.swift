import Foundation
import GRDB

/// A live `history --watch`. Keep it; it stops on `cancel()` or when released.
public final class HistoryObservation: @unchecked Sendable {
  private let lock = NSLock()
  private var cancellable: AnyDatabaseCancellable?
  private var timer: DispatchSourceTimer?
  /// Last `PRAGMA data_version` seen; touched only on the observation's queue.
  fileprivate var dataVersion: Int?

  fileprivate init() {}

  fileprivate func set(_ cancellable: AnyDatabaseCancellable, _ timer: DispatchSourceTimer) {
    lock.withLock {
      self.cancellable = cancellable
      self.timer = timer
    }
  }

  public func cancel() {
    lock.withLock {
      cancellable?.cancel()
      cancellable = nil
      timer?.cancel()
      timer = nil
    }
  }

  deinit { cancel() }
}

extension RunHistory {
  /// Calls `onChange` with the newest `limit` runs of `profile` now and after every change, on a
  /// private queue. GRDB's ValueObservation only sees this connection's writes; the daemon writes
  /// from another process, so `PRAGMA data_version` (which moves only on other connections'
  /// commits) is polled every `pollInterval` seconds and a change re-triggers the observation.
  public func observe(
    profile: String, limit: Int = 50, pollInterval: TimeInterval = 0.5,
    onChange: @escaping @Sendable ([RunRecord]) -> Void,
    onError: @escaping @Sendable (any Error) -> Void = { _ in }
  ) throws -> HistoryObservation {
    let queue = DispatchQueue(label: "RunHistory.observe")
    let observation = HistoryObservation()
    let dbQueue = self.dbQueue
    // Read before the first fetch, so a commit between the two is not missed.
    observation.dataVersion = try dbQueue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }

    let cancellable = ValueObservation
      .tracking { db in try Self.runs(db, profile: profile, limit: limit) }
      .removeDuplicates()
      .start(in: dbQueue, scheduling: .async(onQueue: queue), onError: onError, onChange: onChange)

    let timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(deadline: .now() + pollInterval, repeating: pollInterval)
    timer.setEventHandler { [weak observation] in
      guard let observation else { return }
      do {
        let version = try dbQueue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") }
        if version != observation.dataVersion {
          try dbQueue.write { db in try db.notifyChanges(in: Table(RunRecord.databaseTableName)) }
        }
        observation.dataVersion = version
      } catch {
        onError(error)
      }
    }
    observation.set(cancellable, timer)
    timer.resume()
    return observation
  }
}
