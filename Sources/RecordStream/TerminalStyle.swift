#if canImport(Glibc)
  import Glibc
#endif

/// Whether what the tools write for people may be styled: colour, and lines redrawn in
/// place (progress, status lines, a cleared screen). The one place every tool asks, so
/// they all keep the same two rules (conventions.md): only on a terminal, and never
/// with `NO_COLOR` set to a value that is not empty (https://no-color.org).
public enum TerminalStyle {
  /// Standard error: the progress lines and the coloured words of diagnostics.
  public static let onStandardError = allowed(on: 2)

  /// Whether `fileDescriptor` may be styled now.
  public static func allowed(on fileDescriptor: Int32) -> Bool {
    guard isatty(fileDescriptor) == 1 else { return false }
    guard let value = getenv("NO_COLOR") else { return true }
    return value.pointee == 0  // NO_COLOR= (empty) counts as unset
  }
}
