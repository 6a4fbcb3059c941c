#if canImport(Glibc)
  import Glibc
#endif
import Crypto
import DigestText
import RecordStream

/// `file:///dir`: the same protocol on a local directory, for dry runs and demos. Each
/// file is copied to a hidden temporary beside its target (mode 0600, flushed), and
/// only when all are there are they renamed over the targets.
public struct LocalUpload {
  public let directory: String
  public let direct: Bool

  public init(directory: String, direct: Bool) {
    self.directory = directory
    self.direct = direct
  }

  public func upload(_ items: [UploadItem]) -> (results: [UploadResult], failure: StageFailure?) {
    var results = items.map { UploadResult(name: $0.name, remotePath: directory + "/" + $0.name) }
    var temporaries: [(Int, String)] = []
    do {
      guard access(directory, W_OK) == 0 else {
        if errno == ENOENT { throw FailedTargets.missingFolder(directory, onServer: false) }
        throw StageFailure(.permissionDenied, code: "E_REMOTE_PATH",
                           "cannot write \(directory): \(String(cString: strerror(errno)))")
      }
      for (index, item) in items.enumerated() {
        let started = monotonicSeconds()
        let target = directory + "/" + item.name
        let path = direct ? target : directory + "/.\(item.name).sftp-put"
        let copied: (bytes: Int, sha256: String)
        do {
          copied = try copy(item.local, to: path)
        } catch {
          if direct { unlink(path) }  // never a partial file under a final name
          throw error
        }
        results[index].bytes = copied.bytes
        results[index].sha256 = copied.sha256
        results[index].seconds = monotonicSeconds() - started
        results[index].attempts = 1
        if direct { results[index].status = "uploaded" } else { temporaries.append((index, path)) }
      }
      StageStop.hold()  // released by the command once it has reported the renames
      StageStop.setMessage("stopped while renaming files into place: see which are new above")
      for (index, path) in temporaries {
        guard rename(path, results[index].remotePath) == 0 else {
          throw StageFailure(.cannotCreate, code: "E_REMOTE_PATH",
                             "cannot rename \(path): \(String(cString: strerror(errno)))")
        }
        results[index].status = "uploaded"
      }
      let fd = open(directory, O_RDONLY | O_DIRECTORY)
      if fd >= 0 { fsync(fd); close(fd) }
      StageStop.setMessage("stopped after every file was renamed into place: the destination has the new set")
      return (results, nil)
    } catch let failure as StageFailure {
      for (index, path) in temporaries where results[index].status != "uploaded" { unlink(path) }
      for index in results.indices where results[index].status != "uploaded" { results[index].error = failure.message }
      FailedTargets.look(in: &results)
      return (results, failure)
    } catch {
      return (results, StageFailure(.ioError, code: "E_UPLOAD", "\(error)"))
    }
  }

  private func copy(_ source: String, to path: String) throws -> (bytes: Int, sha256: String) {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
      throw StageFailure(.noInput, code: "E_INPUT", "cannot read \(source): \(String(cString: strerror(errno)))")
    }
    defer { close(input) }
    let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard output >= 0 else {
      throw StageFailure(.cannotCreate, code: "E_REMOTE_PATH", "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(output) }
    var hasher = SHA256()
    var total = 0
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 1)
    defer { buffer.deallocate() }
    while true {
      let count = SystemCall.read(input, buffer, 1 << 20)
      if count < 0 {
        throw StageFailure(.ioError, code: "E_READ", "cannot read \(source): \(String(cString: strerror(errno)))")
      }
      if count == 0 { break }
      var offset = 0
      while offset < count {
        let written = SystemCall.write(output, buffer + offset, count - offset)
        if written < 0 {
          throw StageFailure(.ioError, code: "E_WRITE", "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        offset += written
      }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
      total += count
    }
    guard fsync(output) == 0 else {
      throw StageFailure(.ioError, code: "E_WRITE", "cannot flush \(path): \(String(cString: strerror(errno)))")
    }
    return (total, hasher.finalize().hex)
  }
}
