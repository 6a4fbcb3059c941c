import Foundation
import RunHistory

extension RunEngine {
  /// `body`, a step of run `id` that needs the history, done again while the history's
  /// database cannot be reached (a PostgreSQL restart), for as long as the run's lease
  /// lasts: after that another machine may take the profile over and mark the run
  /// Interrupted.
  func waitingForHistory<T>(_ id: Int64, _ body: (_ retried: Bool) throws -> T) throws -> T {
    let deadline = Date().addingTimeInterval(Double(leaseSeconds))
    var waited = false
    while true {
      do {
        let value = try body(waited)
        if waited { say("run \(id): the history can be reached again") }
        return value
      } catch where RunHistory.isUnreachable(error) && Date() < deadline {
        if !waited { say("warning: run \(id): \(error); waiting for the history") }
        waited = true
        Thread.sleep(forTimeInterval: 1)
      }
    }
  }

  /// Records a run's end, waiting for the history as `waitingForHistory` does. An end
  /// that was committed just before the connection dropped counts.
  func recordEnd(_ id: Int64, status: RunStatus, _ finish: () throws -> Void) throws {
    try waitingForHistory(id) { retried in
      do {
        try finish()
      } catch HistoryError.notRunning(let run, let stored) where retried && run == id && stored == status {
        return
      }
    }
  }
}
