import Foundation
import RunHistory

/// A run a fleet started, as its child process, and whether that child still keeps the
/// claim the fleet took for it. A child that stops renewing its lease (hung, or stopped)
/// holds its profile on this machine for as long as it lives; once the lease has lapsed
/// for a whole lease more (more than a database outage the child waits out, which ends
/// its run by itself), the fleet stops it, then kills it.
struct FleetChild {
  let child: ChildProcess
  let run: FleetCandidate
  let holder: String
  let history: RunHistory
  /// The lease the child renews: its profile's.
  let leaseName: String
  private var lastLook = Date()
  /// When the fleet first saw the lease expired or taken; nil while the child keeps it.
  private var lapsedSince: Date?
  private var stoppedAt: Date?
  private var killed = false

  init(child: ChildProcess, run: FleetCandidate, holder: String, history: RunHistory, leaseName: String) {
    self.child = child
    self.run = run
    self.holder = holder
    self.history = history
    self.leaseName = leaseName
  }

  /// What the fleet says and does about this child now, if anything: a look at its lease
  /// every third of the lease's length, while `reachable` (a look that fails clears it: the
  /// fleet's other children are not looked at in the same pass, each look waiting out the
  /// database's timeout).
  mutating func watch(now: Date, leaseSeconds: Int, reachable: inout Bool) -> String? {
    if let stoppedAt {
      guard !killed, now.timeIntervalSince(stoppedAt) >= Self.stopPatience else { return nil }
      killed = true
      child.stop(SIGKILL)
      return "it did not stop in \(Int(Self.stopPatience)) s: killed"
    }
    guard reachable, now.timeIntervalSince(lastLook) >= max(Double(leaseSeconds) / 3, 1) else { return nil }
    lastLook = now
    // A lease that cannot be read (the database is away) says nothing about the child.
    let lease: LeaseRecord?
    do {
      lease = try history.lease(leaseName)
    } catch {
      reachable = false
      return nil
    }
    if let lease, lease.holder == holder, !lease.expired {
      lapsedSince = nil
      return nil
    }
    let since = lapsedSince ?? now
    lapsedSince = since
    guard now.timeIntervalSince(since) >= Double(leaseSeconds) else { return nil }
    stoppedAt = now
    // SIGCONT too, as systemd does: a stopped child could not act on the SIGTERM.
    child.stop(SIGTERM)
    child.stop(SIGCONT)
    return "its process (pid \(child.pid)) has not renewed its claim for over \(leaseSeconds) s: stopped"
  }

  /// How long a stopped child has to record its end before it is killed.
  static let stopPatience: Double = 10
}
