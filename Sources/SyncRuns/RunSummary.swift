import Foundation
import RunHistory
import UploadGuard

/// What a run did, as the JSON kept in its history row, in `summary.json`, and given
/// to the notification command: counts per file, diagnostics, the guard's comparison
/// with the last upload, the upload's result, timings.
public struct RunSummary {
  let run: RunRecord
  let profile: String
  var status: RunStatus = .running
  var reason: String?
  var note: String?
  var endedAt: Date?
  var stages: [StageOutcome] = []
  var diagnostics: [(stage: String, errors: Int, warnings: Int)] = []
  var files: [FileRecord] = []
  var guardReport: GuardReport?
  var uploads: [UploadRecord] = []
  var upload: String?

  init(run: RunRecord, profile: String) {
    self.run = run
    self.profile = profile
  }

  var json: String {
    let dates = ISO8601DateFormatter()
    var object: [String: Any] = [
      "run": run.id, "profile": profile, "trigger": run.trigger.rawValue, "status": status.title,
      "stages": stages.map { ["name": $0.name, "status": Int($0.status), "seconds": ($0.seconds * 1000).rounded() / 1000] },
      "diagnostics": diagnostics.map { ["stage": $0.stage, "errors": $0.errors, "warnings": $0.warnings] },
      "files": files.map { ["name": $0.name, "rows": $0.rows, "bytes": $0.bytes, "sha256": $0.sha256] },
      "uploads": uploads.map { ["name": $0.name, "bytes": $0.bytes, "status": $0.status, "error": $0.error] },
    ]
    if let reason { object["reason"] = reason }
    if let note { object["note"] = note }
    if let upload { object["upload"] = upload }
    if let scheduled = run.scheduledAt { object["scheduledAt"] = dates.string(from: scheduled) }
    if let started = run.startedAt { object["startedAt"] = dates.string(from: started) }
    if let endedAt { object["endedAt"] = dates.string(from: endedAt) }
    if let approved = run.approvesRunId { object["approves"] = approved }
    if let report = guardReport,
      let parsed = try? JSONSerialization.jsonObject(with: Data(report.json.utf8))
    {
      object["guard"] = parsed
      object["guardText"] = report.text
      object["migrations"] = report.migrations.map(\.message)
    }
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
