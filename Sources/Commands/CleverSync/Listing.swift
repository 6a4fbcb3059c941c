import Foundation
import RunHistory
import SyncRuns

/// The history as a table for people, or as JSON for machines.
enum Listing {
  static let header = ["ID", "TRIGGER", "SCHEDULED", "STARTED", "ENDED", "STATUS", "ROWS st/te/se/en", "UPLOAD"]

  static func table(_ runs: [RunRecord], zone: String) -> String {
    let rows = [header] + runs.map { run in
      [String(run.id), run.trigger.rawValue, LocalTime.text(run.scheduledAt, zone: zone), LocalTime.text(run.startedAt, zone: zone),
       LocalTime.text(run.endedAt, zone: zone),
       run.status.title, counts(run), run.uploadResult ?? run.reason ?? ""]
    }
    let widths = (0..<header.count - 1).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index < widths.count ? cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0) : cell
      }.joined()
    }.joined(separator: "\n")
  }

  /// Rows of students.csv, teachers.csv, sections.csv and enrollments.csv: "52/11/9/150".
  static func counts(_ run: RunRecord) -> String {
    guard let files = summary(run)?["files"] as? [[String: Any]], !files.isEmpty else { return "-" }
    let rows = Dictionary(files.map { ($0["name"] as? String ?? "", $0["rows"] as? Int ?? 0) }) { a, _ in a }
    return ["students.csv", "teachers.csv", "sections.csv", "enrollments.csv"].map { String(rows[$0] ?? 0) }
      .joined(separator: "/")
  }

  static func summary(_ run: RunRecord) -> [String: Any]? {
    run.summary.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
  }

  static func json(_ run: RunRecord) -> [String: Any] {
    let dates = ISO8601DateFormatter()
    var object: [String: Any] = [
      "id": run.id, "profile": run.profile, "trigger": run.trigger.rawValue, "status": run.status.title,
    ]
    object["scheduledAt"] = run.scheduledAt.map(dates.string)
    object["startedAt"] = run.startedAt.map(dates.string)
    object["endedAt"] = run.endedAt.map(dates.string)
    object["upload"] = run.uploadResult
    object["reason"] = run.reason
    object["scheduleId"] = run.scheduleId
    object["approves"] = run.approvesRunId
    object["summary"] = summary(run)
    return object
  }

  static func jsonLine(_ object: [String: Any]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
