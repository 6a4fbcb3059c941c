#if canImport(Glibc)
  import Glibc
#endif
import RecordStream

/// A TCP connection made with a deadline (a blocking connect() can hang for minutes on
/// an unreachable host), trying each address the name resolves to.
enum TCPConnection {
  /// The addresses `host` resolves to, as text, for `--check`.
  static func resolve(_ host: String, port: Int) throws(StageFailure) -> [(family: Int32, address: [UInt8], text: String)] {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_family = AF_UNSPEC
    var list: UnsafeMutablePointer<addrinfo>?
    let result = getaddrinfo(host, String(port), &hints, &list)
    guard result == 0, let first = list else {
      throw StageFailure(.unavailable, code: "E_RESOLVE", "cannot resolve \(host): \(String(cString: gai_strerror(result)))")
    }
    defer { freeaddrinfo(list) }
    var addresses: [(Int32, [UInt8], String)] = []
    var node: UnsafeMutablePointer<addrinfo>? = first
    while let current = node {
      let length = Int(current.pointee.ai_addrlen)
      let bytes = Array(UnsafeRawBufferPointer(start: current.pointee.ai_addr, count: length))
      var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
      addresses.append((current.pointee.ai_family, bytes, String(cString: text)))
      node = current.pointee.ai_next
    }
    return addresses
  }

  /// A connected socket, or the failure of the last address tried.
  static func connect(host: String, port: Int, timeout: Double) throws(StageFailure) -> Int32 {
    var lastFailure = StageFailure(.unavailable, code: "E_CONNECTION", "cannot connect to \(host):\(port)")
    for (family, address, text) in try resolve(host, port: port) {
      let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
      if fd < 0 { continue }
      let flags = fcntl(fd, F_GETFL)
      _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
      let started = address.withUnsafeBytes { raw in
        Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
      }
      if started != 0 && errno != EINPROGRESS {
        lastFailure = failure(errno, host: host, text: text, port: port)
        close(fd)
        continue
      }
      var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      let ready = poll(&poller, 1, Int32(timeout * 1000))
      if ready == 0 {
        lastFailure = StageFailure(.temporaryFailure, code: "E_TIMEOUT",
                                   "cannot connect to \(host) (\(text)) port \(port): no answer in \(Int(timeout)) s")
        close(fd)
        continue
      }
      var error: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
      if error != 0 {
        lastFailure = failure(error, host: host, text: text, port: port)
        close(fd)
        continue
      }
      _ = fcntl(fd, F_SETFL, flags)
      var one: Int32 = 1
      setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      return fd
    }
    throw lastFailure
  }

  private static func failure(_ code: Int32, host: String, text: String, port: Int) -> StageFailure {
    let reason = String(cString: strerror(code))
    // Refused or reset: the server may be restarting; unreachable: it is not there.
    let transient = code == ECONNREFUSED || code == ECONNRESET || code == ETIMEDOUT
    return StageFailure(transient ? .temporaryFailure : .unavailable, code: transient ? "E_CONNECTION" : "E_UNREACHABLE",
                        "cannot connect to \(host) (\(text)) port \(port): \(reason)")
  }
}
