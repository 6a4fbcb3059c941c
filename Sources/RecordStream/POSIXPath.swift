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

  /// `out/` and `out//` as `out`, so names joined to it read `out/students.csv`; `/`
  /// stays `/`.
  public static func trimmingTrailingSlashes(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
    return String(trimmed)
  }
}
