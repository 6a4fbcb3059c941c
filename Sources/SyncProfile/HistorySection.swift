extension SyncProfile {
  /// `[history]`: where the run history and schedules are kept.
  public struct History: Sendable, Equatable {
    public enum Store: String, Sendable { case sqlite, postgresql }
    /// SQLite (the default): a file in the state directory. PostgreSQL: a database that
    /// several machines share, reached with the URL in CLEVER_SYNC_DATABASE_URL or
    /// `databaseURLFile`, never written in the profile.
    public let store: Store
    public let databaseURLFile: String?

    /// The variable that holds the PostgreSQL URL when no file is named.
    public static let databaseURLVariable = "CLEVER_SYNC_DATABASE_URL"
  }
}

extension SyncProfile.History {
  init(reading t: TableReader) {
    var store = Store.sqlite
    if let text = t.string("store") {
      if let known = Store(rawValue: text) {
        store = known
      } else {
        t.problem("store", "\(t.label("store")) must be \"sqlite\" (the default) or \"postgresql\", not \"\(text)\"")
      }
    }
    self.store = store
    databaseURLFile = t.path("database_url_file")
    if databaseURLFile != nil, store != .postgresql {
      t.problem("database_url_file", "\(t.label("database_url_file")) is set but the store is not \"postgresql\"")
    }
  }
}
