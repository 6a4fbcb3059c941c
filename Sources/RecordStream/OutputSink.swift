#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The reader downstream has gone (`| head`): the stage ends quietly.
public struct ClosedPipe: Error {}

/// A buffered writer on a file descriptor (stdout for data). Write errors are thrown,
/// never ignored: a full disk must not pass for success.
public final class OutputSink {
  private let fd: Int32
  private var buffer: [UInt8] = []
  private let flushThreshold = 1 << 16
  public private(set) var bytesWritten = 0

  public init(fileDescriptor: Int32) {
    self.fd = fileDescriptor
    buffer.reserveCapacity(flushThreshold * 2)
  }

  public static func standardOutput() -> OutputSink {
    signal(SIGPIPE, SIG_IGN)  // a closed pipe becomes EPIPE, handled as ClosedPipe
    return OutputSink(fileDescriptor: 1)
  }

  public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= flushThreshold { try flush() }
  }

  public func write(_ bytes: [UInt8]) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= flushThreshold { try flush() }
  }

  /// Appends through a closure so a record is serialised straight into the buffer.
  public func write(_ fill: (inout [UInt8]) -> Void) throws {
    fill(&buffer)
    if buffer.count >= flushThreshold { try flush() }
  }

  public func flush() throws {
    var offset = 0
    while offset < buffer.count {
      let count = buffer.withUnsafeBytes { raw in
        SystemCall.write(fd, raw.baseAddress! + offset, raw.count - offset)
      }
      if count < 0 {
        let code = errno
        buffer.removeAll(keepingCapacity: true)
        if code == EPIPE { throw ClosedPipe() }
        throw StageFailure(.ioError, code: "E_WRITE", "cannot write output: \(String(cString: strerror(code)))")
      }
      offset += count
    }
    bytesWritten += buffer.count
    buffer.removeAll(keepingCapacity: true)
  }
}
