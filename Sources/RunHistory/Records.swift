import Foundation

/// Where a run stands. The raw values are what the database stores.
public enum RunStatus: String, CaseIterable, Codable, Sendable {
  case pending, running, succeeded, failed, held, skipped, cancelled, interrupted

  /// The word `clever-sync history` shows.
  public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

  /// True once the run has ended; Held is final too: an approval is a new run.
  public var isFinal: Bool { self != .pending && self != .running }
}

/// What started a run.
public enum RunTrigger: String, CaseIterable, Codable, Sendable {
  case manual, scheduled, approval
}

/// One row of the run history. Dates are stored in UTC, to the millisecond.
public struct RunRecord: Codable, Sendable, Equatable {
  public var id: Int64
  public var profile: String
  public var trigger: RunTrigger
  public var scheduleId: Int64?
  public var scheduledAt: Date?
  public var startedAt: Date?
  public var endedAt: Date?
  public var status: RunStatus
  public var pid: Int32?
  /// JSON text written by the engine (counts, diff, timings); opaque here.
  public var summary: String?
  /// Short text: "uploaded 5 files, 14.2 KB", or the failure.
  public var uploadResult: String?
  /// Why it Failed, was Held, Skipped or Interrupted.
  public var reason: String?
  /// The run's artifact directory.
  public var artifacts: String?
  /// For an approval run: the Held run whose set it uploads.
  public var approvesRunId: Int64?
  /// Its set reached the server: the guard's baseline.
  public var uploaded: Bool

  public init(
    id: Int64, profile: String, trigger: RunTrigger, scheduleId: Int64? = nil, scheduledAt: Date? = nil,
    startedAt: Date? = nil, endedAt: Date? = nil, status: RunStatus, pid: Int32? = nil, summary: String? = nil,
    uploadResult: String? = nil, reason: String? = nil, artifacts: String? = nil, approvesRunId: Int64? = nil,
    uploaded: Bool = false
  ) {
    self.id = id
    self.profile = profile
    self.trigger = trigger
    self.scheduleId = scheduleId
    self.scheduledAt = scheduledAt
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.status = status
    self.pid = pid
    self.summary = summary
    self.uploadResult = uploadResult
    self.reason = reason
    self.artifacts = artifacts
    self.approvesRunId = approvesRunId
    self.uploaded = uploaded
  }
}

/// A schedule of a profile. Removed or finished schedules stay (inactive) because runs refer to them.
public struct ScheduleRecord: Codable, Sendable, Equatable {
  public var id: Int64
  public var profile: String
  /// Opaque text the caller encodes (start, repeat, until, zone).
  public var spec: String
  public var createdAt: Date
  public var lastCheckedAt: Date?
  public var active: Bool

  public init(id: Int64, profile: String, spec: String, createdAt: Date, lastCheckedAt: Date? = nil, active: Bool = true) {
    self.id = id
    self.profile = profile
    self.spec = spec
    self.createdAt = createdAt
    self.lastCheckedAt = lastCheckedAt
    self.active = active
  }
}
