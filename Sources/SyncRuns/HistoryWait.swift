import Foundation
import RunHistory

extension RunEngine {
  /// Records a run's end, waiting while the history's database cannot be reached (a
  /// PostgreSQL restart), for as long as the run's lease lasts: after that another machine
  /// may take the profile over and mark the run Interrupted, which this then cannot
  /// overwrite. An end that was committed just before the connection dropped counts.
  func recordEnd(_ id: Int64, status: RunStatus, _ finish: () throws -> Void) throws {
    let deadline = Date().addingTimeInterval(Double(leaseSeconds))
    var waited = false
    while true {
      do {
        try finish()
        if waited { say("run \(id): the history can be reached again; its end is recorded") }
        return
      } catch HistoryError.notRunning(let run, let stored) where waited && run == id && stored == status {
        return
      } catch where RunHistory.isUnreachable(error) && Date() < deadline {
        if !waited { say("warning: run \(id): \(error); waiting for the history to record the run's end") }
        waited = true
        Thread.sleep(forTimeInterval: 1)
      }
    }
  }
}
