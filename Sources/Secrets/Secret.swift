#if canImport(Glibc)
  import Glibc
#endif
import RecordStream

/// A password or passphrase, read from an environment variable or a file, never from
/// the command line, and never printed (its description is redacted).
public struct Secret: Sendable, CustomStringConvertible {
  public let value: String

  public init(_ value: String) { self.value = value }

  public var description: String { "<redacted>" }

  /// The secret in `variable`, or in `file`; nil when neither is given. A file readable
  /// by group or others is refused, as ssh refuses such a key.
  public static func read(file: String?, variable: String) throws(StageFailure) -> Secret? {
    if let file {
      var info = stat()
      guard stat(file, &info) == 0 else {
        throw StageFailure(.noInput, code: "E_SECRET", "cannot read \(file): \(String(cString: strerror(errno)))")
      }
      guard info.st_mode & 0o077 == 0 else {
        throw StageFailure(
          .permissionDenied, code: "E_SECRET",
          "\(file) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 \(file)")
      }
      let fd = open(file, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else {
        throw StageFailure(.noInput, code: "E_SECRET", "cannot read \(file): \(String(cString: strerror(errno)))")
      }
      defer { close(fd) }
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = Glibc.read(fd, &chunk, chunk.count)
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
        if bytes.count > 65536 { throw StageFailure(.dataError, code: "E_SECRET", "\(file) is too long for a secret") }
      }
      // One line: a trailing line break is not part of the secret.
      while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
      return Secret(String(decoding: bytes, as: UTF8.self))
    }
    if let value = getenv(variable) { return Secret(String(cString: value)) }
    return nil
  }
}
