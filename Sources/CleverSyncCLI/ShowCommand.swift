import ArgumentParser
import StageCLI
import Foundation
import RecordStream
import RosterRecords
import RunHistory
import SyncRuns

/// `clever-sync show RUN`: one run's summary.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show a run: counts per file, diagnostics, the comparison with the last upload, the upload, timings.")
  @OptionGroup var options: ProfileOption
  @Argument(help: ArgumentHelp("The run's ID.", valueName: "run")) var runID: Int64
  @Flag(name: .long, help: "The summary as JSON.")
  var json = false

  func run() throws {
    let engine = try options.engine()
    engine.markDeadRuns()  // a dead process's Running row is shown Interrupted
    guard let record = try engine.history.run(runID), record.profile == engine.profile.name else {
      throw Say.fail("profile \(engine.profile.name) has no run \(runID)", .noInput)
    }
    if json {
      print(Listing.jsonLine(Listing.json(record)))
      return
    }
    let zone = engine.profile.timeZone
    print("run \(record.id): \(record.status.title) (\(record.trigger.rawValue))")
    if let reason = record.reason { print("  reason     \(reason)") }
    print("  scheduled  \(LocalTime.due(record.scheduledAt, zone: zone))")
    print("  started    \(LocalTime.text(record.startedAt, zone: zone))")
    print("  ended      \(LocalTime.text(record.endedAt, zone: zone))")
    if let artifacts = record.artifacts { print("  artifacts  \(artifacts)") }
    let summary = Listing.summary(record) ?? JSONObject()
    if case .string(let note)? = summary["note"] { print("  note       \(note)") }
    let stages = (try? summary.objects("stages")) ?? []
    if !stages.isEmpty {
      print("stages:")
      for stage in stages {
        print("  \(stage.text("name"))  exit \(stage.integer("status"))  \(stage.text("seconds")) s")
      }
    }
    let diagnostics = (try? summary.objects("diagnostics")) ?? []
    if !diagnostics.isEmpty {
      print("diagnostics:")
      for stage in diagnostics {
        let name = stage.text("stage")
        print("  \(name)  \(stage.integer("errors")) errors, \(stage.integer("warnings")) warnings")
        for line in Self.diagnostics(record.artifacts.map { "\($0)/\(name).diagnostics.ndjson" }, first: 10) {
          print("    " + line)
        }
      }
    }
    let files = (try? summary.objects("files")) ?? []
    if !files.isEmpty {
      print("files:")
      for file in files { print("  \(file.text("name"))  \(file.integer("rows")) rows, \(file.integer("bytes")) bytes") }
    }
    if case .string(let text)? = summary["guardText"] {
      print("compared with the last upload:")
      print(text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }
    // A failed upload's error is the reason, shown above: not twice.
    let upload = record.reason.map { "failed: " + $0 } == record.uploadResult ? "failed (the reason above)" : record.uploadResult
    print("upload: \(upload ?? "none")")
  }

  /// The first `first` diagnostics a stage wrote, as "line: severity: [CODE] message".
  static func diagnostics(_ file: String?, first: Int) -> [String] {
    guard let file, let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
    let lines = text.split(separator: "\n")
    var shown = lines.prefix(first).compactMap { line -> String? in
      guard case .object(let object)? = try? JSONParser.parse(String(line)),
        let diagnostic = try? Diagnostic(object: object)
      else { return nil }
      let place = diagnostic.line.map { "\($0): " } ?? ""
      return "\(place)\(diagnostic.severity.rawValue): [\(diagnostic.code)] \(diagnostic.message)"
    }
    if lines.count > first { shown.append("... \(lines.count - first) more in \(file)") }
    return shown
  }
}
