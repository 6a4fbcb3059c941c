import Foundation

/// A claim on a name ("profile/NAME", "key/DIGEST") in the history store, as it stands.
public struct LeaseRecord: Sendable, Equatable {
  public var name: String
  /// Who holds it: `LeaseHolder`'s text ("node/pid/nonce").
  public var holder: String
  public var expiresAt: Date
  /// Past its expiry by the database's clock: anyone may take it.
  public var expired: Bool

  public init(name: String, holder: String, expiresAt: Date, expired: Bool) {
    self.name = name
    self.holder = holder
    self.expiresAt = expiresAt
    self.expired = expired
  }

  static let columns = "name, holder, expiresAt"
}

/// What `acquireLeases` did.
public enum LeaseAcquisition: Sendable, Equatable {
  /// Every name is now held; `replaced` are the claims taken over (expired, or whose
  /// holder `takeOver` said is dead), for the runs they leave behind.
  case acquired(replaced: [LeaseRecord])
  /// Nothing was taken: this claim is held by someone else.
  case held(by: LeaseRecord)
}

/// Leases: the lock of a profile (and of its QuickSchools key) that every machine sharing
/// the store respects. A row per name, taken by an INSERT that, on conflict, overwrites
/// only an expired row (the lease pattern, as Kubernetes' Lease objects): it outlives
/// connections, so a PostgreSQL restart frees no claim, which session locks (advisory
/// locks, `FOR UPDATE SKIP LOCKED`) would.
extension RunHistory {
  /// Takes every name in `names` for `holder` for `seconds`, all or none. A name held by
  /// another holder that has not expired is taken only if `takeOver` says that holder is
  /// gone (a process of this machine that died).
  public func acquireLeases(
    _ names: [String], holder: String, seconds: Int, takeOver: (LeaseRecord) -> Bool = { _ in false }
  ) throws -> LeaseAcquisition {
    do {
      return try write { db in
        var replaced: [LeaseRecord] = []
        // Sorted: two acquirers of overlapping names lock them in the same order.
        for name in Set(names).sorted() {
          let before = try Self.lease(db, name, locking: true)
          if let before, before.holder != holder, !before.expired, !takeOver(before) {
            throw LeaseBusy(record: before)
          }
          // The row may appear between the look and the insert (another acquirer's, on
          // PostgreSQL): it is overwritten only if it is ours or the one judged above.
          let changed = try db.execute(
            """
            INSERT INTO lease (name, holder, expiresAt) VALUES (?, ?, \(db.dialect.nowPlusSeconds))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expiresAt = excluded.expiresAt
            WHERE lease.holder = excluded.holder OR lease.holder = ?
            """,
            [name, holder, seconds, before?.holder])
          guard changed > 0 else {
            let now = try Self.lease(db, name, locking: false)
            throw LeaseBusy(record: now ?? LeaseRecord(name: name, holder: "?", expiresAt: Date(), expired: false))
          }
          if let before, before.holder != holder { replaced.append(before) }
        }
        return .acquired(replaced: replaced)
      }
    } catch let busy as LeaseBusy {
      return .held(by: busy.record)
    }
  }

  /// Extends every lease of `holder` by `seconds` from now; returns how many it still holds
  /// (fewer than it took means another holder took one over after it expired).
  @discardableResult
  public func renewLeases(holder: String, seconds: Int) throws -> Int {
    try write { db in
      try db.execute("UPDATE lease SET expiresAt = \(db.dialect.nowPlusSeconds) WHERE holder = ?", [seconds, holder])
    }
  }

  /// Gives up every lease of `holder`.
  public func releaseLeases(holder: String) throws {
    try write { db in _ = try db.execute("DELETE FROM lease WHERE holder = ?", [holder]) }
  }

  /// The claim on `name`, if any.
  public func lease(_ name: String) throws -> LeaseRecord? {
    try read { db in try Self.lease(db, name, locking: false) }
  }

  static func lease(_ db: any StoreTransaction, _ name: String, locking: Bool) throws -> LeaseRecord? {
    try db.leases(
      "SELECT \(LeaseRecord.columns), expiresAt < \(db.dialect.now) FROM lease WHERE name = ?"
        + (locking ? db.dialect.lockingRow : ""), [name]
    ).first
  }
}

/// Inside `acquireLeases`: undoes the transaction, so no name is taken.
private struct LeaseBusy: Error {
  let record: LeaseRecord
}
