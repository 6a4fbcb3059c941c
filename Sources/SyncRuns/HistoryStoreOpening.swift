import Foundation
import RunHistory
import Secrets
import SyncProfile

extension RunHistory {
  /// The history `profile` keeps its runs in: the SQLite file in its state directory, or
  /// the PostgreSQL database of `[history] store = "postgresql"`, whose URL (a secret: it
  /// holds the password) comes from `database_url_file` or CLEVER_SYNC_DATABASE_URL.
  public static func open(for profile: SyncProfile, environment: [String: String]) throws -> RunHistory {
    switch profile.history.store {
    case .sqlite:
      return try RunHistory(path: profile.stateDirectory + "/history.sqlite")
    case .postgresql:
      let variable = SyncProfile.History.databaseURLVariable
      var text: String?
      if let file = profile.history.databaseURLFile {
        do {
          text = try Secret.read(file: file, variable: variable)?.value
        } catch {
          throw RunFailure("[history] database_url_file: \(error.message)")
        }
      } else {
        text = environment[variable]
      }
      guard let text, !text.isEmpty else {
        throw RunFailure(
          "profile \(profile.name) keeps its history in PostgreSQL: set \(variable) in the environment, "
            + "or name a file that holds the URL ([history] database_url_file)")
      }
      return try shared(text)
    }
  }

  /// One history per database in a process: a fleet's profiles share one connection
  /// instead of opening one each (PostgreSQL allows a hundred by default).
  private static func shared(_ text: String) throws -> RunHistory {
    try openedLock.withLock {
      if let history = opened[text] { return history }
      let history = try RunHistory(databaseURL: DatabaseURL(text))
      opened[text] = history
      return history
    }
  }

  private static let openedLock = NSLock()
  nonisolated(unsafe) private static var opened: [String: RunHistory] = [:]
}
