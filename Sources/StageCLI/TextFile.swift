#if canImport(Glibc)
  import Glibc
#endif
import RecordStream

/// Reads a small text file (an option's file): UTF-8, or a usage-grade failure that names it.
public func readTextFile(_ path: String) throws -> String {
  let source = try InputSource.open(path)
  defer { source.close() }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let count = SystemCall.read(source.fileDescriptor, &chunk, chunk.count)
    if count < 0 {
      throw StageFailure(.ioError, code: "E_READ", "cannot read \(path): \(String(cString: strerror(errno)))")
    }
    if count == 0 { break }
    bytes.append(contentsOf: chunk[0..<count])
  }
  guard let text = String(validating: bytes, as: UTF8.self) else {
    throw StageFailure(.dataError, code: "E_UTF8", "\(path) is not UTF-8 text")
  }
  return text
}
