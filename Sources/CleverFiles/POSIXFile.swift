#if canImport(Glibc)
  import Glibc
#endif
import RecordStream

/// Thin, checked wrappers over the POSIX calls the file set needs. Every failure becomes
/// a StageFailure that names the path and the system's reason.
enum POSIXFile {
  static func reason() -> String { String(cString: strerror(errno)) }

  static func failure(_ what: String, _ path: String, status: FailureKind = .cannotCreate, code: String = "E_OUTPUT")
    -> StageFailure
  {
    StageFailure(status, code: code, "cannot \(what) \(path): \(reason())")
  }

  /// Creates a new file for writing, mode 0600 (student data), failing if it exists.
  static func create(_ path: String) throws -> Int32 {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    if fd < 0 { throw failure("create", path) }
    return fd
  }

  static func openForReading(_ path: String) throws -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw failure("open", path, status: .opening(errno: errno), code: "E_READ") }
    return fd
  }

  static func sync(_ fd: Int32, _ path: String) throws {
    if fsync(fd) != 0 { throw failure("flush", path, status: .ioError) }
  }

  static func syncDirectory(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)  // best effort: some file systems refuse fsync on directories
    close(fd)
  }

  static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ path: String) throws {
    var offset = 0
    while offset < bytes.count {
      let count = SystemCall.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if count < 0 {
        throw failure("write", path, status: .ioError)
      }
      offset += count
    }
  }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  /// The names in a directory, without `.` and `..`.
  static func entries(of path: String) throws -> [(name: String, isDirectory: Bool)] {
    guard let dir = opendir(path) else { throw failure("list", path, status: .ioError) }
    defer { closedir(dir) }
    var result: [(String, Bool)] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name == "." || name == ".." { continue }
      result.append((name, POSIXPath.isDirectory(path + "/" + name)))
    }
    return result
  }

  /// Removes a directory and the plain files in it.
  static func removeTree(_ path: String) {
    if let names = try? entries(of: path) {
      for (name, isDirectory) in names {
        if isDirectory { removeTree(path + "/" + name) } else { unlink(path + "/" + name) }
      }
    }
    rmdir(path)
  }

  /// An absolute path with `.`/`..` and symbolic links resolved, for an existing path.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
