import Foundation
import RecordStream
import RosterRecords
import RunHistory
import SyncRuns

/// The history as a table for people, or as JSON for machines.
enum Listing {
  static let header = ["ID", "TRIGGER", "SCHEDULED", "STARTED", "ENDED", "STATUS", "ROWS st/te/se/en", "UPLOAD"]

  static func table(_ runs: [RunRecord], zone: String) -> String {
    table(runs, zones: [:], fallbackZone: zone, withProfile: false)
  }

  /// The fleet's table: a PROFILE column, each run's times in its own profile's zone.
  static func table(_ runs: [RunRecord], zones: [String: String], fallbackZone: String = "UTC", withProfile: Bool = true)
    -> String
  {
    let header = (withProfile ? ["PROFILE"] : []) + Self.header
    let rows = [header] + runs.map { run in
      let zone = zones[run.profile] ?? fallbackZone
      return (withProfile ? [run.profile] : []) + [
        String(run.id), run.trigger.rawValue, LocalTime.due(run.scheduledAt, zone: zone), LocalTime.text(run.startedAt, zone: zone),
        LocalTime.text(run.endedAt, zone: zone),
        run.status.title, counts(run), run.uploadResult ?? run.reason ?? "",
      ]
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
    let files = (try? summary(run)?.objects("files")) ?? []
    guard !files.isEmpty else { return "-" }
    let rows = Dictionary(files.map { ($0.text("name"), $0.integer("rows")) }) { a, _ in a }
    return ["students.csv", "teachers.csv", "sections.csv", "enrollments.csv"].map { String(rows[$0] ?? 0) }
      .joined(separator: "/")
  }

  /// The run's summary (RunSummary's JSON), parsed.
  static func summary(_ run: RunRecord) -> JSONObject? {
    guard let text = run.summary, case .object(let object)? = try? JSONParser.parse(text) else { return nil }
    return object
  }

  static func json(_ run: RunRecord) -> JSONObject {
    let dates = ISO8601DateFormatter()
    var members: [(key: String, value: JSONValue)] = [
      ("id", .number(String(run.id))), ("profile", .string(run.profile)), ("trigger", .string(run.trigger.rawValue)),
      ("status", .string(run.status.title)),
    ]
    func put(_ key: String, _ value: String?) { if let value { members.append((key, .string(value))) } }
    put("scheduledAt", run.scheduledAt.map(dates.string))
    put("startedAt", run.startedAt.map(dates.string))
    put("endedAt", run.endedAt.map(dates.string))
    put("upload", run.uploadResult)
    put("reason", run.reason)
    if let schedule = run.scheduleId { members.append(("scheduleId", .number(String(schedule)))) }
    if let approves = run.approvesRunId { members.append(("approves", .number(String(approves)))) }
    if let summary = summary(run) { members.append(("summary", .object(summary))) }
    return JSONObject(members.sorted { $0.key < $1.key })
  }

  static func jsonLine(_ object: JSONObject) -> String { JSONWriter.string(.object(object)) }
}

/// Lenient reading of a summary kept by an earlier version: a missing or odd value is
/// empty or 0, never a failure to show the run.
extension JSONObject {
  func text(_ key: String) -> String { self[key]?.text ?? "" }
  func integer(_ key: String) -> Int { self[key]?.text.flatMap { Int($0) ?? Double($0).map { Int($0) } } ?? 0 }
}
