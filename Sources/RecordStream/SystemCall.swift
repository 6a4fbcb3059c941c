#if canImport(Glibc)
  import Glibc
#endif

/// read(2) and write(2) that start again when a signal interrupts them (EINTR), so a
/// stage's loops over file descriptors need not each say so.
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
