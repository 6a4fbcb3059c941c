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

  public init(profile: SyncProfile, environment: [String: String], say: @escaping (String) -> Void) throws {
    self.profile = profile
    self.plan = RunPlan(profile: profile, environment: environment)
    self.say = say
    self.history = try RunHistory(path: profile.stateDirectory + "/history.sqlite")
  }

  /// The profile's lock, or a failure naming the run in progress.
  public func lock() throws -> ProfileLock {
    guard let lock = try tryLock() else {
      let running = (try? history.running(profile: profile.name))?.first
      throw RunFailure("another run of profile \(profile.name) is in progress" + (running.map { " (run \($0.id))" } ?? ""))
    }
    return lock
  }

  /// The profile's lock, or nil while another process holds it.
  public func tryLock() throws -> ProfileLock? {
    guard let lock = try ProfileLock(state: profile.stateDirectory) else { return nil }
    // Holding the lock, no run of this profile can be going on: any Running row was
    // left by a process that died.
    for run in try history.markInterrupted(profile: profile.name, at: Date(), isAlive: { _ in false }) {
      say("run \(run.id) was left Running by a process that ended (pid \(run.pid.map(String.init) ?? "?")): marked Interrupted")
    }
    return lock
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
  public func approve(_ heldID: Int64) throws -> RunRecord {
    guard let held = try history.run(heldID) else { throw RunFailure("no run \(heldID)") }
    guard held.status == .held, let heldFolder = held.artifacts else {
      throw RunFailure("run \(heldID) is \(held.status.title), not Held: only a held run can be approved")
    }
    let run = try history.startNew(profile: profile.name, trigger: .approval, pid: getpid(), at: Date(), approvesRunId: heldID)
    let artifacts = RunArtifacts(state: profile.stateDirectory, run: run.id)
    var summary = RunSummary(run: run, profile: profile.name)
    summary.note = "approves run \(heldID): uploads the set it held, unchanged"
    do {
      try artifacts.create()
      try history.setArtifacts(run.id, artifacts.folder)
      try SetCopy.copy(from: heldFolder, to: artifacts)
      summary.files = FileRecords.read(artifacts.files)
      return finishWithUpload(run, artifacts, &summary)
    } catch {
      return finish(run, artifacts, &summary, status: .failed, reason: "\(error)")
    }
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
        stages, output: artifacts.files, logs: artifacts.folder, withhold: plan.secretVariables)
      summary.stages = outcomes
      summary.diagnostics = DiagnosticCounts.read(artifacts, stages: stages.map(\.name))
      if let failed = StageFailureText.first(outcomes) {
        return finish(run, artifacts, &summary, status: .failed, reason: failed)
      }
      summary.files = FileRecords.read(artifacts.files)

      let previous = try history.lastUploaded(profile: profile.name).flatMap(\.artifacts)
        .map { RunArtifacts(folder: $0).csvDirectory }
      let report = try UploadGuard.compare(
        previous: previous, next: artifacts.csvDirectory, thresholds: GuardThresholds(profile.guardPercents))
      summary.guardReport = report
      for migration in report.migrations { say("migration: \(migration.message)") }
      if report.held {
        let reason = "held by the guard: " + report.reasons.joined(separator: "; ")
          + " (approve it with: clever-sync approve \(run.id) --profile \(profile.name))"
        return finish(run, artifacts, &summary, status: .held, reason: reason)
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
      let put = try plan.upload(files)
      let outcome = try StagePipeline.run(
        [put], output: artifacts.uploads, logs: artifacts.folder, withhold: plan.secretVariables)
      summary.stages += outcome
      summary.uploads = UploadRecords.read(artifacts.uploads)
      guard let result = outcome.first, result.status == 0 else {
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
    if let handle = try? StagePipeline.privateFile(artifacts.summary) {
      handle.write(Data(json.utf8))
      try? handle.close()
    }
    do {
      try history.finish(
        run.id, status: status, at: summary.endedAt!, summary: json, uploadResult: summary.upload, reason: reason,
        uploaded: uploaded)
    } catch {
      say("warning: cannot record the end of run \(run.id): \(error)")
    }
    if let command = profile.notify.command, status == .failed || status == .held || profile.notify.everyRun {
      let problem = Notifier.send(
        summaryFile: artifacts.summary, to: command, log: artifacts.log("notify"), withhold: plan.secretVariables)
      if let problem { say("warning: \(problem)") }
    }
    prune()
    return (try? history.run(run.id)).flatMap { $0 } ?? run
  }

  /// Retention: the artifacts of runs beyond the profile's count go.
  private func prune() {
    guard let pruned = try? history.prune(profile: profile.name, keep: profile.retainedRuns) else { return }
    for run in pruned { if let folder = run.artifacts { RunArtifacts(folder: folder).remove() } }
  }
}
