import Foundation
import RunHistory
import SyncProfile
import UploadGuard

/// Carries out runs for one profile: the stages, the guard, the upload, the history row
/// from start to end, the artifacts, the notification and the retention.
public final class RunEngine {
  public let profile: SyncProfile
  public let history: RunHistory
  let plan: RunPlan
  /// Lines for people (stderr).
  let say: (String) -> Void
  /// Runs whose end the history could not record (the command exits 74).
  public private(set) var unrecorded: [Int64] = []

  public init(profile: SyncProfile, environment: [String: String], say: @escaping (String) -> Void) throws {
    self.profile = profile
    self.environment = environment
    self.plan = RunPlan(profile: profile, environment: environment)
    self.say = say
    self.history = try RunHistory.open(for: profile, environment: environment)
    reserve.ensure()
  }

  let environment: [String: String]
  /// The length of the leases this engine takes (`daemon --lease`).
  public var leaseSeconds = ProfileClaim.defaultLeaseSeconds
  /// The claim of the run going on, confirmed before its upload.
  weak var claim: ProfileClaim?

  private var reserve: DiskReserve { DiskReserve(state: profile.stateDirectory) }
  private var sets: StoredSets { StoredSets(history: history) }

  /// The profile's claim, or a failure naming who holds it.
  public func lock() throws -> ProfileClaim {
    var busy: LeaseRecord?
    guard let claim = try tryLock(busy: &busy) else {
      // The key's lease is taken first (in name order): its holder may be this profile's.
      if let busy, busy.name.hasPrefix("key/"), (try? history.lease("profile/" + profile.name))??.holder != busy.holder {
        throw RunFailure("a run of another profile with the same QuickSchools key is in progress (\(busy.holder)); "
          + "one run per key at a time keeps its rate limit")
      }
      let running = (try? history.running(profile: profile.name))?.first
      throw RunFailure("another run of profile \(profile.name) is in progress" + (running.map { " (run \($0.id))" } ?? "")
        + (busy.map { ", held by \($0.holder)" } ?? ""))
    }
    return claim
  }

  /// For `history` and `show`: a Running row whose process is gone is marked
  /// Interrupted now, if the profile can be claimed (on this machine, its stages are
  /// gone; elsewhere, its lease expired). Nothing is waited for, so looking at the
  /// history never delays a run or a tick.
  public func markDeadRuns() {
    guard let running = try? history.running(profile: profile.name), !running.isEmpty else { return }
    _ = try? tryLock(patience: 0)
  }

  /// The profile's claim, or nil while another process holds it (`busy` says which
  /// lease, when it is another machine's or another profile's with the same key).
  public func tryLock(patience: Double = 2) throws -> ProfileClaim? {
    var busy: LeaseRecord?
    return try tryLock(patience: patience, busy: &busy)
  }

  func tryLock(patience: Double = 2, busy: inout LeaseRecord?) throws -> ProfileClaim? {
    guard let lock = try ProfileLock(state: profile.stateDirectory, patience: patience) else { return nil }
    // An SQLite history is one machine's: the lock alone keeps its runs apart, and a full
    // disk is not made to hold a lease's row before the run's own.
    guard history.isShared else { return try claimed(lock, holder: nil, count: 0) }
    let holder = LeaseHolder(environment: environment)
    let names = ProfileClaim.leaseNames(profile, environment: environment)
    // A lease of a process of this machine that died is taken at once; another machine's
    // only once it expired.
    let acquired = try history.acquireLeases(names, holder: holder.description, seconds: leaseSeconds) { lease in
      LeaseHolder(lease.holder).map(holder.isDeadNeighbour) ?? false
    }
    if case .held(let by) = acquired {
      busy = by
      return nil
    }
    return try claimed(lock, holder: holder.description, count: names.count)
  }

  /// The claim a fleet's daemon took for this process's run (`tick --claim`): renewed
  /// here from now on. Nil if this machine's lock is held; a failure if the claim is gone.
  public func adopt(holder: String) throws -> ProfileClaim? {
    guard let lock = try ProfileLock(state: profile.stateDirectory, patience: 2) else { return nil }
    let count = ProfileClaim.leaseNames(profile, environment: environment).count
    guard try history.renewLeases(holder: holder, seconds: leaseSeconds) >= count else {
      throw RunFailure("the claim the daemon took for this run (\(holder)) is no longer held")
    }
    return try claimed(lock, holder: holder, count: count)
  }

  private func claimed(_ lock: ProfileLock, holder: String?, count: Int) throws -> ProfileClaim {
    let claim = ProfileClaim(
      lock: lock, keeper: holder.map { LeaseKeeper(history: history, holder: $0, seconds: leaseSeconds, count: count) })
    // Holding the claim, no run of this profile can be going on anywhere: any Running row
    // was left by a process that died (on this machine, every stage holds a copy of the
    // lock, so none of theirs is still writing; elsewhere, its lease expired).
    let marked = try history.markInterrupted(
      profile: profile.name, at: Date(), isAlive: { _ in false },
      uploadCompleted: { run in run.artifacts.map { Self.uploadCompleted(RunArtifacts(folder: $0)) } ?? false })
    for run in marked {
      say("run \(run.id) was left Running by a process that ended (pid \(run.pid.map(String.init) ?? "?")): marked Interrupted"
        + (run.uploaded ? " (its upload had completed: the server has its set)" : ""))
    }
    self.claim = claim
    return claim
  }

  /// A manual run now. The caller holds the lock.
  public func runNow(dryRun: Bool) throws -> RunRecord {
    let run = try history.startNew(profile: profile.name, trigger: .manual, pid: getpid(), at: Date())
    return execute(run, dryRun: dryRun)
  }

  /// A scheduled run already moved from Pending to Running. The caller holds the lock.
  public func runStarted(_ run: RunRecord, note: String? = nil) -> RunRecord {
    execute(run, dryRun: false, note: note)
  }

  /// Uploads exactly the set a Held run built. The caller holds the lock.
  ///
  /// A set held before a newer upload is stale: uploading it would put Clever back to
  /// an older roster. That is refused, with what it would remove now compared with the
  /// newest upload, unless `rollBack` says the user means it.
  public func approve(_ heldID: Int64, rollBack: Bool = false) throws -> RunRecord {
    guard let held = try history.run(heldID), held.profile == profile.name else {
      throw RunFailure("profile \(profile.name) has no run \(heldID)")
    }
    guard held.status == .held, held.artifacts != nil else {
      throw RunFailure("run \(heldID) is \(held.status.title), not Held: only a held run can be approved")
    }
    var note = "approves run \(heldID): uploads the set it held, unchanged"
    if let newer = try history.lastUploaded(profile: profile.name),
      (newer.startedAt ?? .distantPast) > (held.startedAt ?? .distantPast)
    {
      let report = try sets.compare(
        held: held, newer: newer, scratch: RunArtifacts(folder: "\(profile.stateDirectory)/runs/.approve-\(heldID)"),
        thresholds: GuardThresholds(profile.guardPercents))
      let removals = report.files.filter { $0.removed > $0.migrated }.map { file in
        "\(file.removed - file.migrated) of \(file.before) in \(file.name)"
      }
      let effect = removals.isEmpty ? "it removes nothing that run \(newer.id) uploaded, but replaces its newer rows"
        : "Clever would remove " + removals.joined(separator: ", ")
      let when = newer.endedAt.map { " on " + LocalTime.text($0, zone: profile.timeZone, withZone: true) } ?? ""
      guard rollBack else {
        throw StaleApproval(
          "run \(heldID) was held before run \(newer.id) uploaded a newer set\(when): approving it now would roll "
            + "Clever back to run \(heldID)'s older set; compared with what run \(newer.id) uploaded, \(effect). "
            + "Nothing was uploaded. To upload it all the same: clever-sync approve \(heldID) --roll-back-newer-upload "
            + "--profile \(profile.name)")
      }
      say("warning: run \(heldID)'s set is older than run \(newer.id)'s upload\(when); rolling back as asked: \(effect)")
      note += "; rolls back run \(newer.id)'s newer upload (--roll-back-newer-upload): \(effect)"
    }
    let run = try history.startNew(profile: profile.name, trigger: .approval, pid: getpid(), at: Date(), approvesRunId: heldID)
    let artifacts = RunArtifacts(state: profile.stateDirectory, run: run.id)
    var summary = RunSummary(run: run, profile: profile.name)
    summary.note = note
    do {
      try artifacts.create()
      try history.setArtifacts(run.id, artifacts.folder)
      try sets.copyHeld(held, to: artifacts)
      summary.files = FileRecords.read(artifacts.files)
      try sets.keep(run.id, from: artifacts)
      return finishWithUpload(run, artifacts, &summary)
    } catch {
      return finish(run, artifacts, &summary, status: .failed, reason: "\(error)")
    }
  }

  /// Whether sftp-put reported every file of a run's set as renamed into place.
  static func uploadCompleted(_ artifacts: RunArtifacts) -> Bool {
    let uploads = UploadRecords.read(artifacts.uploads)
    let files = artifacts.csvFiles()
    return !files.isEmpty && uploads.count == files.count && uploads.allSatisfy { $0.status == "uploaded" }
  }

  /// What the run shows while its stages work (PipelineDisplay).
  private func display(_ run: RunRecord) -> PipelineDisplay {
    PipelineDisplay(label: "run \(run.id)", say: say)
  }

  /// A stop signal's reason: which stage it stopped.
  private func stopped(_ signal: Int32, _ outcomes: [StageOutcome]) -> String {
    let stage = outcomes.first { $0.stoppedBy != nil }?.name
    return "stopped by \(StopSignals.name(signal))" + (stage.map { " during \($0)" } ?? "")
  }

  private func execute(_ run: RunRecord, dryRun: Bool, note: String? = nil) -> RunRecord {
    let artifacts = RunArtifacts(state: profile.stateDirectory, run: run.id)
    var summary = RunSummary(run: run, profile: profile.name)
    summary.note = note
    do {
      try artifacts.create()
      try history.setArtifacts(run.id, artifacts.folder)
      let stages = try plan.buildStages(artifacts)
      let outcomes = try StagePipeline.run(
        stages, output: artifacts.files, logs: artifacts.folder, withhold: plan.secretVariables, display: display(run))
      summary.stages = outcomes
      summary.diagnostics = DiagnosticCounts.read(artifacts, stages: stages.map(\.name))
      if let signal = StopSignals.received {
        return finish(run, artifacts, &summary, status: .cancelled,
                      reason: stopped(signal, outcomes) + "; nothing was uploaded")
      }
      if let failed = StageFailureText.first(outcomes) {
        return finish(run, artifacts, &summary, status: .failed, reason: failed)
      }
      summary.files = FileRecords.read(artifacts.files)

      try sets.keep(run.id, from: artifacts)
      let baseline = try waitingForHistory(run.id) { _ in try history.lastUploaded(profile: profile.name) }
      let report = try sets.compare(
        previous: baseline, next: artifacts.csvDirectory, scratch: artifacts.baselineDirectory,
        thresholds: GuardThresholds(profile.guardPercents))
      summary.guardReport = report
      for migration in report.migrations { say("migration: \(migration.message)") }
      if report.held {
        let reason = "held by the guard: " + report.reasons.joined(separator: "; ")
          + " (approve it with: clever-sync approve \(run.id) --profile \(profile.name))"
        return finish(run, artifacts, &summary, status: .held, reason: reason)
      }
      if let signal = StopSignals.received {
        return finish(run, artifacts, &summary, status: .cancelled,
                      reason: "stopped by \(StopSignals.name(signal)) before the upload; nothing was uploaded")
      }
      if dryRun {
        summary.upload = "dry run: nothing uploaded"
        return finish(run, artifacts, &summary, status: .succeeded, reason: nil)
      }
      return finishWithUpload(run, artifacts, &summary)
    } catch {
      return finish(run, artifacts, &summary, status: .failed, reason: "\(error)")
    }
  }

  private func finishWithUpload(_ run: RunRecord, _ artifacts: RunArtifacts, _ summary: inout RunSummary) -> RunRecord {
    do {
      let files = artifacts.csvFiles()
      guard !files.isEmpty else { throw RunFailure("the run built no files to upload") }
      // Another machine may have taken the profile over while this run could not renew its
      // claim: then it must not upload.
      try claim?.keeper?.confirm()
      let put = try plan.upload(files)
      let outcome = try StagePipeline.run(
        [put], output: artifacts.uploads, logs: artifacts.folder, withhold: plan.secretVariables, display: display(run))
      summary.stages += outcome
      summary.uploads = UploadRecords.read(artifacts.uploads)
      // A stop during the renames waits for them (sftp-put holds it back): a set that
      // was put in place whole is an upload, whatever sftp-put's status.
      let completed = Self.uploadCompleted(artifacts)
      if let signal = StopSignals.received, !completed {
        let said = StagePipeline.lastLine(in: artifacts.log("sftp-put")).map { ": " + $0 } ?? ""
        summary.upload = "stopped by \(StopSignals.name(signal))\(said)"
        return finish(run, artifacts, &summary, status: .cancelled,
                      reason: "stopped by \(StopSignals.name(signal)) during the upload\(said)")
      }
      guard let result = outcome.first, result.status == 0 || completed else {
        let reason = StageFailureText.first(outcome) ?? "sftp-put failed"
        summary.upload = "failed: \(reason)"
        return finish(run, artifacts, &summary, status: .failed, reason: reason)
      }
      let bytes = summary.uploads.reduce(0) { $0 + $1.bytes }
      summary.upload = "uploaded \(summary.uploads.count) files, \(bytes) bytes, to \(profile.sftp.destination)"
      return finish(run, artifacts, &summary, status: .succeeded, reason: nil, uploaded: true)
    } catch {
      return finish(run, artifacts, &summary, status: .failed, reason: "\(error)")
    }
  }

  private func finish(
    _ run: RunRecord, _ artifacts: RunArtifacts, _ summary: inout RunSummary, status: RunStatus, reason: String?,
    uploaded: Bool = false
  ) -> RunRecord {
    summary.status = status
    summary.reason = reason
    summary.endedAt = Date()
    let json = summary.json
    do {
      try PrivateFile.write(json, to: artifacts.summary)
    } catch {
      say("warning: run \(run.id): \(error); the history keeps the summary")
    }
    var recorded = true
    let (endedAt, upload) = (summary.endedAt!, summary.upload)
    let record = {
      try self.recordEnd(run.id, status: status) {
        try self.history.finish(
          run.id, status: status, at: endedAt, summary: json, uploadResult: upload, reason: reason, uploaded: uploaded)
      }
    }
    do {
      do {
        try record()
      } catch where !RunHistory.isUnreachable(error) && reserve.release() {
        // A full disk, most likely: the reserve's space lets the end be recorded.
        say("warning: run \(run.id): the history could not be written (\(error)); used the space held in reserve")
        try record()
      }
    } catch {
      // A full disk or a broken database: say what happened, since the row cannot. It
      // stays Running until a clever-sync that can write marks it Interrupted (Uploaded
      // too, if its upload completed: uploadCompleted reads the artifacts).
      recorded = false
      unrecorded.append(run.id)
      say("error: run \(run.id) ended \(status.title)\(reason.map { " (\($0))" } ?? ""), but the history cannot "
        + "record it: \(error)")
    }
    if StopSignals.received != nil {
      // Stopped on purpose (systemctl stop, Ctrl-C): no notification is started now.
    } else if let command = profile.notify.command, status == .failed || status == .held || profile.notify.everyRun {
      let problem = Notifier.send(
        summaryFile: artifacts.summary, to: command, log: artifacts.log("notify"), withhold: plan.secretVariables)
      if let problem { say("warning: \(problem)") }
    }
    prune()
    guard recorded, let stored = (try? history.run(run.id)).flatMap({ $0 }) else {
      var told = run
      (told.status, told.reason, told.endedAt, told.uploadResult) = (status, reason, summary.endedAt, summary.upload)
      return told
    }
    return stored
  }

  /// Retention: the artifacts of runs beyond the profile's count go.
  private func prune() {
    guard let pruned = try? history.prune(profile: profile.name, keep: profile.retainedRuns) else { return }
    for run in pruned { if let folder = run.artifacts { RunArtifacts(folder: folder).remove() } }
  }
}
