import CleverFiles
import Crypto
import DigestText
import Foundation
import RecordStream
import RosterRecords

/// The records of one type in a stage's output file, through the contract's decoders;
/// a line that does not parse or decode is skipped (the stage said so when it ran).
enum NDJSONFile {
  static func records<T>(_ path: String, type: String, _ decode: (JSONObject) throws(RecordError) -> T) -> [T] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line -> T? in
      guard case .object(let object)? = try? JSONParser.parse(String(line)), object["type"]?.text == type else {
        return nil
      }
      return try? decode(object)
    }
  }
}

enum FileRecords {
  static func read(_ path: String) -> [FileRecord] { NDJSONFile.records(path, type: FileRecord.type, FileRecord.init) }
}

enum UploadRecords {
  static func read(_ path: String) -> [UploadRecord] {
    NDJSONFile.records(path, type: UploadRecord.type, UploadRecord.init)
  }
}

/// Errors and warnings per stage, from their `--diagnostics` files.
enum DiagnosticCounts {
  static func read(_ artifacts: RunArtifacts, stages: [String]) -> [(stage: String, errors: Int, warnings: Int)] {
    stages.map { stage in
      let all = NDJSONFile.records(artifacts.diagnostics(stage), type: Diagnostic.type, Diagnostic.init)
      return (stage, all.filter { $0.severity == .error }.count, all.filter { $0.severity == .warning }.count)
    }
  }
}

/// The reason of a failed pipeline: its first stage that failed (later ones fail
/// because of it), with that stage's last error line.
enum StageFailureText {
  static func first(_ outcomes: [StageOutcome]) -> String? {
    guard let failed = outcomes.first(where: { $0.status != 0 }) else { return nil }
    return "\(failed.name) exited \(failed.status)" + (failed.lastError.map { ": \($0)" } ?? "")
  }
}

/// Copies a held run's set into the approving run's folder, checking every file
/// against the SHA-256 that clever-csv recorded, so what is uploaded is exactly what
/// was held.
enum SetCopy {
  static func copy(from heldFolder: String, to artifacts: RunArtifacts) throws {
    let held = RunArtifacts(folder: heldFolder)
    let records = FileRecords.read(held.files)
    guard !records.isEmpty else { throw RunFailure("the held run \(heldFolder) has no files.ndjson: nothing to approve") }
    try FileManager.default.createDirectory(
      atPath: artifacts.csvDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    var lines: [String] = []
    for record in records {
      let data = try Data(contentsOf: URL(fileURLWithPath: held.csvDirectory + "/" + record.name))
      guard SHA256.hash(data: data).hex == record.sha256 else {
        throw RunFailure("\(record.name) of the held run changed since it was held: not uploading it")
      }
      let target = artifacts.csvDirectory + "/" + record.name
      try PrivateFile.write(data, to: target)
      var copied = record
      copied.path = target
      lines.append(JSONWriter.string(.object(copied.object)))
    }
    try PrivateFile.write(lines.joined(separator: "\n") + "\n", to: artifacts.files)
  }
}
