/// Refusals of the run history; the descriptions are written for the user.
public enum HistoryError: Error, Equatable, CustomStringConvertible {
  case noSuchRun(Int64)
  case noSuchSchedule(Int64)
  /// The operation needs a Pending run; this one has started or ended.
  case alreadyStarted(Int64, RunStatus)
  /// An approval names a run that is not Held.
  case notHeld(Int64, RunStatus)
  /// `finish` of a run that is not Running (e.g. already marked Interrupted).
  case notRunning(Int64, RunStatus)
  /// `finish` was given Pending or Running.
  case notFinalStatus(RunStatus)
  /// The Held run already has an approval that is running or has uploaded.
  case alreadyApproved(Int64, by: Int64)
  /// An approval names a Held run of another profile.
  case runOfOtherProfile(Int64, profile: String)
  case scheduleOfOtherProfile(Int64, profile: String)
  /// The schedule was removed or has finished.
  case scheduleInactive(Int64)
  /// The schedule already has a Pending run (at most one at a time).
  case schedulePending(Int64, run: Int64)
  /// The database was migrated by a newer clever-sync.
  case newerDatabase(path: String)
  /// The PostgreSQL URL (shown without its password) can't be used.
  case badDatabaseURL(String, String)
  /// PostgreSQL refused or failed; the server's own words, never the password.
  case store(String)
  /// PostgreSQL could not be reached, or closed the connection (stopped, restarting).
  case unreachable(String)

  public var description: String {
    switch self {
    case .noSuchRun(let id): "there is no run \(id)"
    case .noSuchSchedule(let id): "there is no schedule \(id)"
    case .alreadyStarted(let id, let status): "run \(id) is \(status.title), no longer Pending"
    case .notHeld(let id, let status): "run \(id) is \(status.title), not Held"
    case .notRunning(let id, let status): "run \(id) is \(status.title), not Running"
    case .notFinalStatus(let status): "\(status.title) is not a status a run ends with"
    case .alreadyApproved(let id, let by): "run \(id) is already approved by run \(by)"
    case .runOfOtherProfile(let id, let profile): "run \(id) belongs to profile \(profile)"
    case .scheduleOfOtherProfile(let id, let profile): "schedule \(id) belongs to profile \(profile)"
    case .scheduleInactive(let id): "schedule \(id) was removed or has finished"
    case .schedulePending(let id, let run): "schedule \(id) already has a pending run (\(run))"
    case .newerDatabase(let path): "\(path) was written by a newer clever-sync"
    case .badDatabaseURL(let url, let why): "the database URL \(url) can't be used: \(why)"
    case .store(let message), .unreachable(let message): message
    }
  }
}

extension RunHistory {
  /// Whether `error` says the database could not be reached for now (it may come back:
  /// a restart), rather than that it refused what was asked.
  public static func isUnreachable(_ error: any Error) -> Bool {
    if case .unreachable = error as? HistoryError { return true }
    // SQLSTATE class 08: connection exception; 57P01-03: the server is shutting down or
    // starting, as during a restart.
    guard let server = error as? PostgresServerError else { return false }
    return server.sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(server.sqlState)
  }
}
