#if canImport(Glibc)
  import Glibc
#endif

/// read(2) and write(2) that start again when a signal interrupts them (EINTR), so a
/// stage's loops over file descriptors need not each say so; and the exit status an
/// input that cannot be opened gets, from its errno.
public enum SystemCall {
  public static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    while true {
      let result = Glibc.read(fd, buffer, count)
      if result < 0 && errno == EINTR { continue }
      return result
    }
  }

  public static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    while true {
      let result = Glibc.write(fd, buffer, count)
      if result < 0 && errno == EINTR { continue }
      return result
    }
  }
}

extension ExitStatus {
  /// An input that could not be opened: 66 when it is not there, 77 when it may not be
  /// read, 74 for any other reason (conventions.md).
  public static func opening(errno code: Int32) -> ExitStatus {
    switch code {
    case ENOENT, ENOTDIR: .noInput
    case EACCES, EPERM: .permissionDenied
    default: .ioError
    }
  }
}
