import Foundation
import RunHistory
import SyncProfile

/// What a run of a profile holds while it goes on: the profile's lock on this machine
/// (ProfileLock: its state folder, its stages) and its leases in the history store, which
/// every machine sharing the store respects: the profile's, and its QuickSchools key's
/// (one run per key at a time keeps the key's rate limit). Released when the claim is
/// let go; a claim whose process died expires after its lease's length.
public final class ProfileClaim {
  let lock: ProfileLock
  /// Nil for a history only this machine reads (SQLite): its lock is enough.
  public let keeper: LeaseKeeper?

  init(lock: ProfileLock, keeper: LeaseKeeper?) {
    self.lock = lock
    self.keeper = keeper
  }

  deinit { keeper?.release() }

  /// A lease's length when none is given (`daemon --lease`): how long a machine that dies
  /// keeps its profiles' runs from starting elsewhere.
  public static let defaultLeaseSeconds = 60

  /// The names a run of `profile` leases.
  public static func leaseNames(_ profile: SyncProfile, environment: [String: String]) -> [String] {
    ["profile/" + profile.name] + (FleetMember.keyDigest(profile, environment: environment).map { ["key/" + $0] } ?? [])
  }
}
