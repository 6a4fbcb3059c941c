import Crypto
import DigestText
import Foundation
import RecordStream
import RosterRecords
import RunHistory
import UploadGuard

/// The sets runs read from earlier runs (the guard's baseline, a held set to approve), kept
/// in the history store: on a fleet the next run of a profile may be on another machine. The
/// artifacts folders stay on the machine that ran the run, copies and logs for people. A run
/// from before the store kept sets is read from its artifacts folder, as it was then.
struct StoredSets {
  let history: RunHistory

  /// Keeps the set in `artifacts` as run `id`'s: each file files.ndjson records, its bytes
  /// checked against the SHA-256 recorded there.
  func keep(_ id: Int64, from artifacts: RunArtifacts) throws {
    let files = try FileRecords.read(artifacts.files).map { record in
      let path = artifacts.csvDirectory + "/" + record.name
      guard let content = FileManager.default.contents(atPath: path) else {
        throw RunFailure("cannot read \(path), which clever-csv recorded: the run's set is incomplete")
      }
      guard SHA256.hash(data: content).hex == record.sha256 else {
        throw RunFailure("\(path) is not what clever-csv recorded (its SHA-256 differs): not keeping the set")
      }
      return StoredFile(name: record.name, sha256: record.sha256, content: content)
    }
    try history.storeSet(id, files)
  }

  /// The guard's comparison of `previous`'s set (nil: none, a first upload) with the set in
  /// `next`. A stored set is written into `scratch` for it and removed after: the history
  /// keeps it, and the summary the comparison.
  func compare(previous: RunRecord?, next: String, scratch: String, thresholds: GuardThresholds) throws
    -> GuardReport
  {
    guard let previous else { return try UploadGuard.compare(previous: nil, next: next, thresholds: thresholds) }
    return try reading(previous, at: scratch) { try UploadGuard.compare(previous: $0, next: next, thresholds: thresholds) }
  }

  /// What approving `held` would do to the set `newer` uploaded after it was held. Both sets
  /// are written into `scratch` (no run folder exists yet: a refused approval starts no run).
  func compare(held: RunRecord, newer: RunRecord, scratch: RunArtifacts, thresholds: GuardThresholds) throws
    -> GuardReport
  {
    try scratch.create()
    defer { scratch.remove() }
    return try reading(held, at: scratch.folder + "/held") { heldSet in
      try compare(
        previous: newer, next: heldSet ?? scratch.folder + "/held", scratch: scratch.folder + "/newer",
        thresholds: thresholds)
    }
  }

  /// Puts the held run's set into the approving run's folder, exactly as held, each file
  /// checked against its SHA-256, with the files.ndjson that the upload and the summary read.
  func copyHeld(_ held: RunRecord, to artifacts: RunArtifacts) throws {
    let files = try history.storedSet(held.id)
    guard !files.isEmpty else { return try SetCopy.copy(from: held.artifacts ?? "", to: artifacts) }
    try Self.write(files, of: held.id, to: artifacts.csvDirectory)
    let rows = Self.rows(in: held)
    let lines = files.map { file in
      let record = FileRecord(
        name: file.name, path: artifacts.csvDirectory + "/" + file.name, rows: rows[file.name] ?? 0,
        bytes: file.content.count, sha256: file.sha256)
      return JSONWriter.string(.object(record.object))
    }
    try PrivateFile.write(lines.joined(separator: "\n") + "\n", to: artifacts.files)
  }

  /// Calls `body` with the folder of `run`'s set: its stored set written into `folder` and
  /// removed after, or, if the history keeps none, its artifacts' csv folder (nil: none).
  private func reading<T>(_ run: RunRecord, at folder: String, _ body: (String?) throws -> T) throws -> T {
    let files = try history.storedSet(run.id)
    guard !files.isEmpty else { return try body(run.artifacts.map { RunArtifacts(folder: $0).csvDirectory }) }
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try Self.write(files, of: run.id, to: folder)
    return try body(folder)
  }

  /// Writes a stored set into `folder` (0700, files 0600), each file checked first: the
  /// store is shared, and what is compared or uploaded must be what the run built.
  private static func write(_ files: [StoredFile], of run: Int64, to folder: String) throws {
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    for file in files {
      guard file.name.hasSuffix(".csv"), !file.name.hasPrefix("."), !file.name.contains("/") else {
        throw RunFailure("the history keeps a file named \(file.name) in run \(run)'s set: not a Clever file")
      }
      guard SHA256.hash(data: file.content).hex == file.sha256 else {
        throw RunFailure("\(file.name) of run \(run) in the history is not the file the run built (its SHA-256 "
          + "differs): not using it")
      }
      try PrivateFile.write(file.content, to: folder + "/" + file.name)
    }
  }

  /// Each file's rows, from the run's summary in the history; only shown, so 0 if unknown.
  private static func rows(in run: RunRecord) -> [String: Int] {
    guard let text = run.summary, case .object(let summary)? = try? JSONParser.parse(text),
      let files = try? summary.objects("files")
    else { return [:] }
    return Dictionary(files.compactMap { file in (try? file.string("name")).map { ($0, (try? file.count("rows")) ?? 0) } }) {
      first, _ in first
    }
  }
}
