import Foundation

/// One file of a run's set as the history keeps it: on a fleet the next run of a profile,
/// or its approval, may be on another machine than the run that built the set.
public struct StoredFile: Codable, Sendable, Equatable {
  /// The file's name in the set (`students.csv`).
  public var name: String
  /// Lower-case hexadecimal SHA-256 of `content`, as clever-csv recorded it.
  public var sha256: String
  public var content: Data

  public init(name: String, sha256: String, content: Data) {
    self.name = name
    self.sha256 = sha256
    self.content = content
  }
}

// The sets runs need from earlier runs: each Held run's (what `approve` uploads) and the
// profile's last uploaded one (the guard's baseline). Any other set is deleted once its
// run has ended; deleting a run deletes its set (ON DELETE CASCADE).
extension RunHistory {
  /// Keeps `files` as run `id`'s set, replacing any set it had, all in one transaction.
  public func storeSet(_ id: Int64, _ files: [StoredFile]) throws {
    try write { db in
      _ = try Self.fetchRun(db, id, locking: true)
      try db.execute("DELETE FROM run_file WHERE runId = ?", [id])
      for file in files {
        try db.execute(
          "INSERT INTO run_file (runId, name, sha256, content) VALUES (?, ?, ?, ?)",
          [id, file.name, file.sha256, file.content])
      }
    }
  }

  /// Run `id`'s set, by name; empty when the history keeps none (a run from before it kept sets,
  /// or one whose set was deleted).
  public func storedSet(_ id: Int64) throws -> [StoredFile] {
    try read { try $0.files("SELECT \(StoredFile.columns) FROM run_file WHERE runId = ? ORDER BY name", [id]) }
  }

  /// Deletes the sets of `profile` that no run will read again; returns how many files went.
  /// Kept: the sets of runs not yet ended, of Held runs no approval has uploaded, and of the
  /// last uploaded run. So a run that ended neither Held nor uploaded loses its set, and an
  /// upload ends the previous baseline's.
  @discardableResult public func deleteUnneededSets(profile: String) throws -> Int {
    try write { db in try Self.deleteUnneededSets(db, profile: profile) }
  }

  static func deleteUnneededSets(_ db: any StoreTransaction, profile: String) throws -> Int {
    let baseline = try lastUploaded(db, profile: profile, before: nil)?.id
    return try db.execute(
      """
      DELETE FROM run_file WHERE runId IN (
        SELECT id FROM run WHERE profile = ? AND status NOT IN ('pending', 'running') AND id IS DISTINCT FROM ?
          AND NOT (status = 'held'
            AND NOT EXISTS (SELECT 1 FROM run approval WHERE approval.approvesRunId = run.id AND approval.uploaded)))
      """,
      [profile, baseline])
  }
}
