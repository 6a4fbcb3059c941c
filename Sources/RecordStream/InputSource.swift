#if canImport(Glibc)
  import Glibc
#endif

/// Where a stage reads from: a named file or standard input (`<stdin>` in messages).
public struct InputSource: Sendable {
  public let name: String
  public let fileDescriptor: Int32

  public static let standardInput = InputSource(name: "<stdin>", fileDescriptor: 0)

  private init(name: String, fileDescriptor: Int32) {
    self.name = name
    self.fileDescriptor = fileDescriptor
  }

  /// Opens `path`, or standard input for `-` or nil.
  public static func open(_ path: String?) throws -> InputSource {
    guard let path, path != "-" else { return .standardInput }
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      let reason = String(cString: strerror(errno))
      let status = FailureKind.opening(errno: errno)
      throw StageFailure(status, code: "E_INPUT", "cannot open \(path): \(reason)")
    }
    return InputSource(name: path, fileDescriptor: fd)
  }

  public func close() {
    if fileDescriptor > 2 { _ = Glibc.close(fileDescriptor) }
  }
}
