import Foundation
import RunHistory

/// Keeps a run's leases while it goes on: renews them every third of their length, on a
/// thread of its own (the run's own thread waits on its stages), and confirms them just
/// before an upload, so a run whose claim another machine took after it expired never
/// uploads.
public final class LeaseKeeper: @unchecked Sendable {
  public let history: RunHistory
  public let holder: String
  public let seconds: Int
  /// How many leases the holder took: a renewal that finds fewer lost one.
  let count: Int
  private let condition = NSCondition()
  /// Guarded by `condition`.
  private var lastRenewed = Date()
  private var stopped = false

  public init(history: RunHistory, holder: String, seconds: Int, count: Int) {
    self.history = history
    self.holder = holder
    self.seconds = seconds
    self.count = count
    Thread.detachNewThread { [self] in renewUntilReleased() }
  }

  /// Renews the leases now, waiting (up to when they would expire) while the database
  /// cannot be reached. Throws, saying why, when the run no longer holds its claim.
  public func confirm() throws {
    while true {
      do {
        let held = try history.renewLeases(holder: holder, seconds: seconds)
        guard held >= count else {
          throw RunFailure("this run's claim on its profile expired and another process took it over (its lease is "
            + "\(seconds) s): nothing was uploaded")
        }
        condition.withLock { lastRenewed = Date() }
        return
      } catch let failure as RunFailure {
        throw failure
      } catch {
        let expiry = condition.withLock { lastRenewed }.addingTimeInterval(Double(seconds))
        guard Date() < expiry else {
          throw RunFailure("the history at \(history.path) could not be reached to confirm this run's claim before "
            + "the upload (\(error)); its lease has expired: nothing was uploaded")
        }
        Thread.sleep(forTimeInterval: 1)
      }
    }
  }

  /// Stops renewing and gives the leases up (when the database can be reached; else they
  /// expire).
  public func release() {
    let first = condition.withLock {
      defer { stopped = true; condition.broadcast() }
      return !stopped
    }
    if first { try? history.releaseLeases(holder: holder) }
  }

  private func renewUntilReleased() {
    let interval = max(Double(seconds) / 3, 0.2)
    while true {
      let stop = condition.withLock {
        let wake = Date().addingTimeInterval(interval)
        while !stopped && Date() < wake { _ = condition.wait(until: wake) }
        return stopped
      }
      if stop { return }
      // A failure is left to `confirm`, which waits for the database; a lost lease too.
      if let held = try? history.renewLeases(holder: holder, seconds: seconds), held >= count {
        condition.withLock { lastRenewed = Date() }
      }
    }
  }
}
