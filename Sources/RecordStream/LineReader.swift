#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the reader found next in its input.
public enum LineEvent {
  /// A whole line, without its `\n` (and without a `\r` before it). The bytes are valid
  /// only during the callback.
  case line(number: Int, bytes: UnsafeBufferPointer<UInt8>)
  /// A line longer than the limit: it was skipped without being held in memory.
  case tooLong(number: Int, byteCount: Int)
}

/// Reads a file descriptor in large chunks and hands out lines.
///
/// Memory is bounded by the line limit, however long the input; `readLine()` is neither
/// bounded nor fast enough for district-sized streams.
public struct LineReader: ~Copyable {
  /// 1 MiB: a student with many guardians is a few kilobytes; a longer line is a broken
  /// input, and holding it would make memory depend on the input.
  public static let defaultMaxLineBytes = 1 << 20

  private let fd: Int32
  private let maxLineBytes: Int
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private var start = 0
  private var end = 0
  private var atEOF = false
  private var lineNumber = 0
  /// Bytes consumed before `buffer[0]`, so events can report absolute offsets.
  public private(set) var bytesRead = 0

  public init(fileDescriptor: Int32, maxLineBytes: Int = LineReader.defaultMaxLineBytes) {
    self.fd = fileDescriptor
    self.maxLineBytes = maxLineBytes
    self.capacity = min(1 << 16, maxLineBytes + 1)
    self.buffer = .allocate(capacity: capacity)
  }

  deinit { buffer.deallocate() }

  /// Calls `body` with each line, in order, until the input ends.
  public mutating func forEach(_ body: (LineEvent) throws -> Void) throws {
    var skipping = false  // inside a line that is too long
    var skippedBytes = 0
    while true {
      // Hand out every complete line in the buffer.
      while start < end {
        let found = memchr(buffer + start, 0x0A, end - start)
        guard let newline = found?.assumingMemoryBound(to: UInt8.self) else { break }
        let lineEnd = newline - buffer
        lineNumber += 1
        if skipping {
          try body(.tooLong(number: lineNumber, byteCount: skippedBytes + lineEnd - start))
          skipping = false
          skippedBytes = 0
        } else {
          try emit(from: start, to: lineEnd, body)
        }
        start = lineEnd + 1
      }
      if atEOF {
        if skipping {
          lineNumber += 1
          try body(.tooLong(number: lineNumber, byteCount: skippedBytes + end - start))
        } else if start < end {
          lineNumber += 1
          try emit(from: start, to: end, body)
        }
        return
      }
      // Make room: drop consumed bytes, then grow up to the line limit, then skip.
      if start > 0 {
        if end > start { memmove(buffer, buffer + start, end - start) }
        bytesRead += start
        end -= start
        start = 0
      }
      if end == capacity {
        if skipping || capacity > maxLineBytes {
          skipping = true
          skippedBytes += end
          bytesRead += end
          end = 0
        } else {
          grow()
        }
      }
      let count = SystemCall.read(fd, buffer + end, capacity - end)
      if count < 0 {
        throw StageFailure(.ioError, code: "E_READ", "cannot read input: \(String(cString: strerror(errno)))")
      }
      if count == 0 { atEOF = true } else { end += count }
    }
  }

  private func emit(from lineStart: Int, to lineEnd: Int, _ body: (LineEvent) throws -> Void) throws {
    var stop = lineEnd
    if stop > lineStart, buffer[stop - 1] == 0x0D { stop -= 1 }
    if stop - lineStart > maxLineBytes {
      try body(.tooLong(number: lineNumber, byteCount: stop - lineStart))
      return
    }
    try body(.line(number: lineNumber, bytes: UnsafeBufferPointer(start: buffer + lineStart, count: stop - lineStart)))
  }

  private mutating func grow() {
    let newCapacity = min(capacity * 2, maxLineBytes + 2)
    let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBuffer.update(from: buffer, count: end)
    buffer.deallocate()
    buffer = newBuffer
    capacity = newCapacity
  }
}
