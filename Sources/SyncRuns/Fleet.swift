#if canImport(Glibc)
  import Glibc
#endif
import Foundation
import RunHistory

/// Many profiles served by one process: each due run is started as a child process (a
/// `clever-sync tick` for that one run, which takes the profile's lock and records the
/// run as any tick does), at most as many at once as `RunSlots` allows, the oldest due
/// first. A child per run keeps each run's lock, signals and secrets its own, and one
/// profile's crash from touching another's.
public final class Fleet {
  public let directory: ProfileDirectory
  public private(set) var slots: RunSlots
  /// The child's executable and arguments for one run, whose claim `holder` took.
  let command: (FleetMember, FleetCandidate, _ holder: String) -> (path: String, arguments: [String])
  let say: (String) -> Void
  let leaseSeconds: Int
  private var children: [String: FleetChild] = [:]
  /// When each run was last handed to a child: one its child left Pending (another
  /// process held the profile) is tried again only after `retryAfter` seconds.
  private var tried: [String: Date] = [:]
  /// The exit status of every child that did not exit 0, by profile.
  public private(set) var failures: [(profile: String, status: Int32)] = []

  public init(
    directory: ProfileDirectory, slots: RunSlots, leaseSeconds: Int = ProfileClaim.defaultLeaseSeconds,
    say: @escaping (String) -> Void,
    command: @escaping (FleetMember, FleetCandidate, _ holder: String) -> (path: String, arguments: [String])
  ) {
    self.directory = directory
    self.slots = slots
    self.leaseSeconds = leaseSeconds
    self.say = say
    self.command = command
  }

  /// `tick`: starts every run due at `now`, as slots free up, and returns when all have ended.
  public func pass(now: Date = Date()) {
    directory.refresh()
    var queue = gather(cutoff: now).due
    while StopSignals.received == nil {
      reap()
      watch()
      for run in slots.choose(queue) {
        start(run)
        queue.removeAll { $0 == run }
      }
      if children.isEmpty && slots.choose(queue).isEmpty { break }
      usleep(50_000)
    }
    stopAll()
  }

  /// `daemon`: serves the folder until a stop signal. Reloads on SIGHUP, when the folder
  /// changes, and every `poll` seconds (which also finds schedules other commands added).
  /// `heartbeat` is called at the end of every pass of the loop (about ten a second, runs
  /// going on or not, and while stopping), first once the folder was read and each
  /// profile's history opened: a health check's sign that the loop is alive.
  public func serve(poll: Double, heartbeat: () -> Void = {}) {
    var nextScan = Date.distantPast
    var nextDue = Date.distantPast
    var stale = true
    while StopSignals.received == nil {
      let now = Date()
      if StopSignals.takeReload() || directory.folderChanged || now >= nextScan {
        let change = directory.refresh()
        for name in change.added { say("profile \(name): served") }
        for name in change.changed { say("profile \(name): re-read") }
        for name in change.removed { say("profile \(name): no longer served" + (children[name] != nil ? " (its run in progress goes on)" : "")) }
        nextScan = now.addingTimeInterval(poll)
        sweep()
        stale = true
      }
      if reap() { stale = true }
      watch()
      if stale || now >= nextDue {
        let found = gather(cutoff: now, retryAfter: poll)
        // A run another daemon holds leaves its slot free: look again at once (without it).
        let refused = slots.choose(found.due).filter { !start($0) }
        nextDue = found.next ?? .distantFuture
        stale = !refused.isEmpty
      }
      heartbeat()
      StopSignals.sleep(0.1)
    }
    stopAll(heartbeat: heartbeat)
  }

  /// The runs due at `cutoff` of the profiles not running now, and when the next falls due.
  /// One query per store: profiles that share a PostgreSQL database are read together.
  func gather(cutoff: Date, retryAfter: Double = .infinity) -> (due: [FleetCandidate], next: Date?) {
    var due: [FleetCandidate] = []
    var next: Date?
    let idle = directory.members.values.filter { children[$0.name] == nil }
    for members in Dictionary(grouping: idle, by: { ObjectIdentifier($0.history) }).values {
      let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0) })
      let pending: [RunRecord]
      do {
        pending = try members[0].history.runs(status: .pending, profiles: Array(byName.keys))
      } catch {
        say("warning: profile\(members.count > 1 ? "s" : "") \(byName.keys.sorted().joined(separator: ", ")): "
          + "cannot read the history: \(error)")
        continue
      }
      for run in pending {
        guard let member = byName[run.profile], let at = run.scheduledAt else { continue }
        let key = "\(member.name)#\(run.id)"
        if at > cutoff {
          next = min(next ?? at, at)
        } else if let when = tried[key], cutoff.timeIntervalSince(when) < retryAfter {
          next = min(next ?? when.addingTimeInterval(retryAfter), when.addingTimeInterval(retryAfter))
        } else {
          due.append(FleetCandidate(profile: member.name, runId: run.id, scheduledAt: at,
                                    keyDigest: member.keyDigest, host: member.host))
        }
      }
    }
    return (due, next)
  }

  /// Marks Interrupted the runs of a shared history that a process which died left
  /// Running, once their leases let the profile be claimed: a profile with no next slot
  /// is claimed by no run, and its dead run would stay Running. (An SQLite history is one
  /// machine's, whose runs take no leases: the next command there takes the lock.)
  private func sweep() {
    let idle = directory.members.values.filter { children[$0.name] == nil && $0.history.isShared }
    for members in Dictionary(grouping: idle, by: { ObjectIdentifier($0.history) }).values {
      let history = members[0].history
      let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0) })
      guard let running = try? history.runs(status: .running, profiles: Array(byName.keys)) else { continue }
      for name in Set(running.map(\.profile)).sorted() {
        guard let member = byName[name], let holder = (try? claim(member)) ?? nil else { continue }
        defer { try? history.releaseLeases(holder: holder) }
        for run in (try? history.markInterrupted(profile: name, at: Date(), isAlive: { _ in false })) ?? [] {
          say("profile \(name): run \(run.id) was left Running by a process that ended: marked Interrupted")
        }
      }
    }
  }

  /// Takes `member`'s leases for a new holder of this machine; nil while another holds them.
  private func claim(_ member: FleetMember) throws -> String? {
    let holder = LeaseHolder(environment: directory.environment)
    let names = ProfileClaim.leaseNames(member.profile, environment: directory.environment)
    let acquired = try member.history.acquireLeases(names, holder: holder.description, seconds: leaseSeconds) {
      LeaseHolder($0.holder).map(holder.isDeadNeighbour) ?? false
    }
    guard case .acquired = acquired else { return nil }
    return holder.description
  }

  /// Claims the run's profile (and key) in the history, then starts its child, which
  /// renews the claim. A profile another daemon has claimed is left to it: its run is
  /// tried again after `retryAfter`, as one whose child found the profile busy. False
  /// when so left.
  @discardableResult
  private func start(_ run: FleetCandidate) -> Bool {
    guard let member = directory.members[run.profile] else { return true }
    tried["\(run.profile)#\(run.runId)"] = Date()
    let holder: String
    do {
      guard let claimed = try claim(member) else { return false }
      holder = claimed
    } catch {
      say("warning: profile \(run.profile): run \(run.runId) not started: cannot claim it in the history: \(error)")
      return true
    }
    let (path, arguments) = command(member, run, holder)
    do {
      let child = try ChildProcess(
        name: "clever-sync", path: path, arguments: arguments, environment: ProcessInfo.processInfo.environment,
        stdin: 0, stdout: 1, stderr: 2, stage: false)
      children[run.profile] = FleetChild(
        child: child, run: run, holder: holder, history: member.history,
        leaseName: ProfileClaim.leaseNames(member.profile, environment: directory.environment)[0])
      slots.take(run)
      say("profile \(run.profile): run \(run.runId) started (pid \(child.pid))")
    } catch {
      try? member.history.releaseLeases(holder: holder)
      say("warning: profile \(run.profile): run \(run.runId) not started: \(error)")
    }
    return true
  }

  /// Reaps the children that ended; whether any did.
  @discardableResult
  private func reap() -> Bool {
    var any = false
    for (profile, entry) in children where entry.child.poll() {
      children[profile] = nil
      slots.release(profile)
      any = true
      let status = entry.child.status ?? 255
      if status != 0 { failures.append((profile, status)) }
      // The child released its claim; one that died did not, and its run is marked
      // Interrupted by the next claim.
      try? entry.history.releaseLeases(holder: entry.holder)
      say("profile \(profile): run \(entry.run.runId) ended" + (status == 0 ? "" : " (exit \(status))"))
    }
    return any
  }

  /// Stops the children that no longer keep their claims (FleetChild).
  private func watch() {
    let now = Date()
    var reachable = true
    for profile in children.keys {
      guard let message = children[profile]?.watch(now: now, leaseSeconds: leaseSeconds, reachable: &reachable)
      else { continue }
      say("warning: profile \(profile): run \(children[profile]!.run.runId): \(message)")
    }
  }

  /// Passes a stop on to every run and waits for them (each records itself Cancelled);
  /// one still there after a minute is killed, so the fleet never leaves a child behind.
  private func stopAll(heartbeat: () -> Void = {}) {
    guard !children.isEmpty else { return }
    if StopSignals.received != nil { for entry in children.values { entry.child.stop(SIGTERM) } }
    let deadline = Date().addingTimeInterval(60)
    while !children.isEmpty {
      reap()
      heartbeat()
      if Date() > deadline { for entry in children.values { entry.child.stop(SIGKILL) } }
      usleep(50_000)
    }
  }
}
