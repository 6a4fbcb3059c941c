import CleverFiles
import Crypto
import Foundation

/// A `file` record of clever-csv (records.md).
public struct FileRecord: Sendable, Equatable {
  public let name: String
  public let rows: Int
  public let bytes: Int
  public let sha256: String
}

/// An `upload` record of sftp-put (records.md).
public struct UploadRecord: Sendable, Equatable {
  public let name: String
  public let bytes: Int
  public let status: String
  public let error: String
}

/// NDJSON records of one type, read from a stage's output file.
enum NDJSONFile {
  static func objects(_ path: String, type: String) -> [[String: Any]] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap {
      guard let object = try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any],
        object["type"] as? String == type
      else { return nil }
      return object
    }
  }
}

enum FileRecords {
  static func read(_ path: String) -> [FileRecord] {
    NDJSONFile.objects(path, type: "file").map {
      FileRecord(
        name: $0["name"] as? String ?? "", rows: $0["rows"] as? Int ?? 0, bytes: $0["bytes"] as? Int ?? 0,
        sha256: $0["sha256"] as? String ?? "")
    }
  }
}

enum UploadRecords {
  static func read(_ path: String) -> [UploadRecord] {
    NDJSONFile.objects(path, type: "upload").map {
      UploadRecord(
        name: $0["name"] as? String ?? "", bytes: $0["bytes"] as? Int ?? 0, status: $0["status"] as? String ?? "",
        error: $0["error"] as? String ?? "")
    }
  }
}

/// Errors and warnings per stage, from their `--diagnostics` files.
enum DiagnosticCounts {
  static func read(_ artifacts: RunArtifacts, stages: [String]) -> [(stage: String, errors: Int, warnings: Int)] {
    stages.map { stage in
      let all = NDJSONFile.objects(artifacts.diagnostics(stage), type: "diagnostic")
      return (stage, all.filter { $0["severity"] as? String == "error" }.count,
              all.filter { $0["severity"] as? String == "warning" }.count)
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
      let object: [String: Any] = [
        "type": "file", "name": record.name, "path": target, "rows": record.rows, "bytes": record.bytes,
        "sha256": record.sha256,
      ]
      let line = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
      lines.append(String(decoding: line, as: UTF8.self))
    }
    try PrivateFile.write(lines.joined(separator: "\n") + "\n", to: artifacts.files)
  }
}
