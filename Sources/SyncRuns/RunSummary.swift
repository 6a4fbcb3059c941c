import Foundation
import RecordStream
import RosterRecords
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
    func number(_ value: Int) -> JSONValue { .number(String(value)) }
    func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members.map { (key: $0.0, value: $0.1) })) }
    var members: [(String, JSONValue)] = [
      ("run", number(Int(run.id))), ("profile", .string(profile)), ("trigger", .string(run.trigger.rawValue)),
      ("status", .string(status.title)),
      ("stages", .array(stages.map {
        object([("name", .string($0.name)), ("seconds", .number(secondsText($0.seconds))),
                ("status", number(Int($0.status)))])
      })),
      ("diagnostics", .array(diagnostics.map {
        object([("errors", number($0.errors)), ("stage", .string($0.stage)), ("warnings", number($0.warnings))])
      })),
      ("files", .array(files.map {
        object([("bytes", number($0.bytes)), ("name", .string($0.name)), ("rows", number($0.rows)),
                ("sha256", .string($0.sha256))])
      })),
      ("uploads", .array(uploads.map {
        object([("bytes", number($0.bytes)), ("error", .string($0.error)), ("name", .string($0.name)),
                ("status", .string($0.status))])
      })),
    ]
    if let reason { members.append(("reason", .string(reason))) }
    if let note { members.append(("note", .string(note))) }
    if let upload { members.append(("upload", .string(upload))) }
    if let scheduled = run.scheduledAt { members.append(("scheduledAt", .string(dates.string(from: scheduled)))) }
    if let started = run.startedAt { members.append(("startedAt", .string(dates.string(from: started)))) }
    if let endedAt { members.append(("endedAt", .string(dates.string(from: endedAt)))) }
    if let approved = run.approvesRunId { members.append(("approves", number(Int(approved)))) }
    if let report = guardReport {
      members.append(("guard", .object(report.jsonObject)))
      members.append(("guardText", .string(report.text)))
      members.append(("migrations", .array(report.migrations.map { .string($0.message) })))
    }
    // Keys in order, as before, so a summary reads the same from run to run.
    return JSONWriter.string(object(members.sorted { $0.0 < $1.0 }))
  }
}
