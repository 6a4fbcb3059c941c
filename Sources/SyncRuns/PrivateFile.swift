#if canImport(Glibc)
  import Glibc
#endif
import Foundation
import RecordStream

/// A file of a run's artifacts written whole or not at all: a temporary beside it,
/// mode 0600 (they name students), written, flushed and renamed over the target. A full
/// disk is an error the run reports, never a crash or a short file under the final name.
enum PrivateFile {
  static func write(_ data: Data, to path: String) throws(RunFailure) {
    let temporary = path + ".partial"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw failure("cannot create", path) }
    let ok = data.withUnsafeBytes { buffer -> Bool in
      var offset = 0
      while offset < buffer.count {
        let written = SystemCall.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 { return false }
        offset += written
      }
      return true
    }
    guard ok, fsync(fd) == 0 else {
      let error = failure("cannot write", path)
      close(fd)
      unlink(temporary)
      throw error
    }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let error = failure("cannot write", path)
      unlink(temporary)
      throw error
    }
  }

  static func write(_ text: String, to path: String) throws(RunFailure) { try write(Data(text.utf8), to: path) }

  private static func failure(_ what: String, _ path: String) -> RunFailure {
    let reason = String(cString: strerror(errno))
    return RunFailure("\(what) \(path): \(reason)" + (errno == ENOSPC || errno == EDQUOT ? " (the disk is full)" : ""))
  }
}
