import Foundation

/// A run's folder in the state directory: the set it built, what each stage said, and
/// its summary. Private (0700 folders, 0600 files): it holds student data.
///
///     <state>/runs/<id>/csv/            the Clever files the run built (or approved)
///     <state>/runs/<id>/baseline/       the last upload's set, from the history, while compared
///     <state>/runs/<id>/files.ndjson    clever-csv's `file` records
///     <state>/runs/<id>/uploads.ndjson  sftp-put's `upload` records
///     <state>/runs/<id>/<stage>.log     each stage's standard error
///     <state>/runs/<id>/<stage>.diagnostics.ndjson
///     <state>/runs/<id>/summary.json
public struct RunArtifacts: Sendable {
  public let folder: String

  public init(state: String, run id: Int64) {
    folder = "\(state)/runs/\(id)"
  }

  public init(folder: String) { self.folder = folder }

  public var csvDirectory: String { folder + "/csv" }
  public var baselineDirectory: String { folder + "/baseline" }
  public var files: String { folder + "/files.ndjson" }
  public var uploads: String { folder + "/uploads.ndjson" }
  public var summary: String { folder + "/summary.json" }
  public func diagnostics(_ stage: String) -> String { "\(folder)/\(stage).diagnostics.ndjson" }
  public func log(_ stage: String) -> String { "\(folder)/\(stage).log" }

  public func create() throws {
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    chmod((folder as NSString).deletingLastPathComponent, 0o700)
  }

  /// The set's CSV files, sorted.
  public func csvFiles() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: csvDirectory)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
      .map { csvDirectory + "/" + $0 }
  }

  public func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
