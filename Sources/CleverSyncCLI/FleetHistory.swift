#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import Foundation
import RunHistory
import SyncRuns

/// `clever-sync history --all` / `--profiles DIR`: every profile's runs in one list.
struct FleetHistory {
  let directory: ProfileDirectory
  /// A glob (fnmatch) on profile names: `--profile 'lincoln-*'`.
  let pattern: String?
  let status: RunStatus?
  let limit: Int

  /// The runs, most recent activity first (as one profile's history), runs still waiting last.
  func runs() throws -> (runs: [RunRecord], zones: [String: String]) {
    directory.refresh()
    var all: [RunRecord] = []
    var zones: [String: String] = [:]
    for member in directory.members.values.sorted(by: { $0.name < $1.name }) {
      if let pattern, fnmatch(pattern, member.name, 0) != 0 { continue }
      zones[member.name] = member.profile.timeZone
      // A dead process's Running row is shown Interrupted, as `history` does for one profile.
      if let engine = try? RunEngine(profile: member.profile, environment: [:], say: Say.line) { engine.markDeadRuns() }
      // With a status filter, enough of each profile's runs to find `limit` of that status.
      let runs = try member.history.runs(profile: member.name, limit: status == nil ? limit : max(limit * 20, 1000))
      all += runs.filter { status == nil || $0.status == status }
    }
    return (Array(all.sorted(by: Self.newestFirst).prefix(limit)), zones)
  }

  /// RunHistory's order across profiles: ended or started newest first, then waiting
  /// runs by when they fall due.
  static func newestFirst(_ a: RunRecord, _ b: RunRecord) -> Bool {
    let (left, right) = (a.endedAt ?? a.startedAt, b.endedAt ?? b.startedAt)
    switch (left, right) {
    case let (l?, r?) where l != r: return l > r
    case (nil, _?): return false
    case (_?, nil): return true
    default:
      if a.scheduledAt != b.scheduledAt { return (a.scheduledAt ?? .distantFuture) < (b.scheduledAt ?? .distantFuture) }
      return (a.profile, a.id) < (b.profile, b.id)
    }
  }
}
