import Foundation

/// A due run a fleet may start: whose, which, when it fell due, and what it shares.
public struct FleetCandidate: Equatable, Sendable {
  public let profile: String
  public let runId: Int64
  public let scheduledAt: Date
  public let keyDigest: String?
  public let host: String

  public init(profile: String, runId: Int64, scheduledAt: Date, keyDigest: String?, host: String) {
    self.profile = profile
    self.runId = runId
    self.scheduledAt = scheduledAt
    self.keyDigest = keyDigest
    self.host = host
  }
}

/// The bounds on a fleet's runs at one time: at most `jobs` runs; one per profile; one
/// per QuickSchools key (the key's rate limit is per school); at most `perHost` per
/// destination host. A run takes its host slot when it starts and keeps it to its end,
/// so the bound on uploads to a host holds without reaching into the run.
public struct RunSlots {
  public let jobs: Int
  public let perHost: Int
  public private(set) var running: [String: FleetCandidate] = [:]

  public init(jobs: Int, perHost: Int) {
    self.jobs = jobs
    self.perHost = perHost
  }

  public var isFull: Bool { running.count >= jobs }

  public func admits(_ candidate: FleetCandidate) -> Bool {
    guard !isFull, running[candidate.profile] == nil else { return false }
    if let key = candidate.keyDigest, running.values.contains(where: { $0.keyDigest == key }) { return false }
    return running.values.filter { $0.host == candidate.host }.count < perHost
  }

  public mutating func take(_ candidate: FleetCandidate) { running[candidate.profile] = candidate }

  public mutating func release(_ profile: String) { running[profile] = nil }

  /// The candidates to start now, the oldest due first (then by profile name), as far as
  /// the slots allow: one held back by its key or host does not hold back the others.
  public func choose(_ due: [FleetCandidate]) -> [FleetCandidate] {
    var slots = self
    var chosen: [FleetCandidate] = []
    for candidate in due.sorted(by: { ($0.scheduledAt, $0.profile) < ($1.scheduledAt, $1.profile) }) {
      if slots.isFull { break }
      guard slots.admits(candidate) else { continue }
      slots.take(candidate)
      chosen.append(candidate)
    }
    return chosen
  }
}
