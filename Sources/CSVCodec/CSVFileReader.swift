#if canImport(Glibc)
  import Glibc
#endif

/// Reads a CSV file (or any file descriptor) in large chunks through CSVParser.
public enum CSVFileReader {
  /// Hands each row to `body`; returns the parser, whose counters say how the lines ended.
  @discardableResult
  public static func forEachRow(
    fileDescriptor fd: Int32, maxRowBytes: Int = CSVParser.defaultMaxRowBytes, _ body: (CSVRow) throws -> Void
  ) throws -> CSVParser {
    var parser = CSVParser(maxRowBytes: maxRowBytes)
    let capacity = 1 << 16
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    while true {
      let count = read(fd, buffer, capacity)
      if count < 0 {
        if errno == EINTR { continue }
        throw CSVReadFailure(reason: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      try parser.consume(UnsafeBufferPointer(start: buffer, count: count), body)
    }
    try parser.finish(body)
    return parser
  }

  /// Parses bytes held in memory (tests, fuzzing).
  public static func rows(of bytes: [UInt8], maxRowBytes: Int = CSVParser.defaultMaxRowBytes) throws -> [CSVRow] {
    var parser = CSVParser(maxRowBytes: maxRowBytes)
    var rows: [CSVRow] = []
    try bytes.withUnsafeBufferPointer { try parser.consume($0) { rows.append($0) } }
    try parser.finish { rows.append($0) }
    return rows
  }
}

/// The file could not be read at all (an I/O error, not a format error).
public struct CSVReadFailure: Error, Sendable {
  public let reason: String
}
