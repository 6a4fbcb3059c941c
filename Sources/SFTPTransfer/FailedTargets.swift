#if canImport(Glibc)
  import Glibc
#endif
import RecordStream

/// After a failed upload: which of the files not uploaded still have a previous file at
/// the destination (so the report never claims one that was not there), and a
/// destination folder that does not exist, said as such. sftp-put creates no folder.
enum FailedTargets {
  static func missingFolder(_ directory: String, onServer: Bool) -> StageFailure {
    StageFailure(
      .cannotCreate, code: "E_REMOTE_PATH",
      onServer
        ? "the folder \(directory) does not exist on the server: create it there, or correct the destination's path"
        : "the folder \(directory) does not exist: create it (mkdir -p \(directory)), or correct the destination")
  }

  /// A local destination: each file not uploaded is looked for in the folder.
  static func look(in results: inout [UploadResult]) {
    for index in results.indices where results[index].status != "uploaded" {
      results[index].hasPreviousFile = access(results[index].remotePath, F_OK) == 0
    }
  }
}

extension UploadSession {
  /// An SFTP destination: unless the connection is lost (where every request would wait
  /// out the timeout), the folder is listed on the channel still open, or a new one.
  func settle(_ failure: StageFailure, ssh: SSHSession, channel: SFTPChannel, results: inout [UploadResult],
              done: Set<String>) -> StageFailure {
    guard !TransferFailure.isTransient(failure), let lister = channel.isOpen ? channel : try? SFTPChannel(ssh) else {
      return failure
    }
    defer { if lister !== channel { lister.close() } }
    let notUploaded = results.indices.filter { !done.contains(results[$0].name) }
    do {
      let listed = try lister.listing(destination.directory)
      for index in notUploaded { results[index].hasPreviousFile = listed[results[index].name] != nil }
      return failure
    } catch let listing as StageFailure where listing.code == "E_REMOTE_PATH" && !destination.directory.isEmpty {
      for index in notUploaded { results[index].hasPreviousFile = false }
      return failure.code == "E_REMOTE_PATH" ? FailedTargets.missingFolder(destination.directory, onServer: true) : failure
    } catch {
      return failure
    }
  }
}
