#if canImport(Glibc)
  import Glibc
#endif

/// Paths as the stages take them on their command lines.
public enum POSIXPath {
  /// Whether `path` names a directory (following links).
  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// The whole file's bytes, or nil when it cannot be opened or read. Read straight into
  /// the array: Foundation's `contents(atPath:)` and a copy out of its Data cost a tenth
  /// of replaying a saved dump.
  public static func bytes(of path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    var bytes: [UInt8] = []
    var chunk = max(Int(info.st_size), 1 << 16)
    while true {
      let start = bytes.count
      bytes.append(contentsOf: repeatElement(0, count: chunk))
      let count = bytes.withUnsafeMutableBytes { SystemCall.read(fd, $0.baseAddress! + start, chunk) }
      guard count >= 0 else { return nil }
      bytes.removeLast(chunk - count)
      if count == 0 { return bytes }
      chunk = 1 << 16  // the file grew, or a read came short: go on in small steps
    }
  }

  /// `out/` and `out//` as `out`, so names joined to it read `out/students.csv`; `/`
  /// stays `/`.
  public static func trimmingTrailingSlashes(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
    return String(trimmed)
  }
}
