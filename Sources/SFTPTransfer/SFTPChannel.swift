#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import RecordStream

/// An SFTP v3 channel spoken by hand (draft-ietf-secsh-filexfer-02), for what libssh2
/// 1.10 (Debian 12's) cannot do: it keeps the server's VERSION reply to itself, so the
/// extensions the server offers are unknown to its callers; it has no call for an
/// extended request such as `posix-rename@openssh.com` or `statvfs@openssh.com`; and it
/// waits for each answer before the next request. Here a batch of requests goes out at
/// once and the answers are read after: a whole set is stat'ed, cleaned up or renamed
/// in one round trip.
///
/// UploadSession never keeps this channel open at the same time as libssh2's SFTP
/// channel: some servers (Clever's among them) serve one channel of a connection at a
/// time, and a second one is not answered until the first is closed.
final class SFTPChannel {
  let session: SSHSession
  let channel: OpaquePointer
  var nextID: UInt32 = 1
  /// The extensions named in the server's VERSION reply, with their data.
  private(set) var extensions: [String: String] = [:]
  private var closed = false
  /// A send or a read failed: the connection is lost or stalled, and closing the channel
  /// would wait out the timeout for an answer that will not come.
  private var broken = false

  static let posixRename = "posix-rename@openssh.com"
  static let statvfs = "statvfs@openssh.com"

  /// Opens the channel, starts the SFTP subsystem and reads the server's VERSION.
  init(_ session: SSHSession) throws {
    self.session = session
    let type = "session"
    guard let channel = libssh2_channel_open_ex(session.session, type, UInt32(type.utf8.count), 2 * 1024 * 1024, 32768,
                                                nil, 0)
    else { throw TransferFailure.session(session.session, "opening an SFTP channel") }
    // From here on deinit frees the channel, whatever fails (freeing it here as well
    // was a double free).
    self.channel = channel
    let request = "subsystem", subsystem = "sftp"
    guard libssh2_channel_process_startup(channel, request, UInt32(request.utf8.count), subsystem,
                                          UInt32(subsystem.utf8.count)) == 0
    else { throw TransferFailure.session(session.session, "starting SFTP on a channel (the server refused it)") }
    var initPacket = Packet(type: 1)  // SSH_FXP_INIT
    initPacket.uint32(3)
    try send(initPacket)
    var reply = try receive()
    guard reply.type == 2, let _ = reply.uint32() else {  // SSH_FXP_VERSION
      throw StageFailure(.protocolError, code: "E_SFTP", "the server's SFTP greeting was not understood")
    }
    while let name = reply.string(), let data = reply.string() { extensions[name] = data }
  }

  deinit {
    if !closed { libssh2_channel_close(channel) }
    libssh2_channel_free(channel)
  }

  /// Closes the channel now, so the server may serve the next one.
  func close() {
    guard !closed else { return }
    closed = true
    guard !broken else { return }
    libssh2_channel_close(channel)
    libssh2_channel_wait_closed(channel)
  }

  func offers(_ name: String) -> Bool { extensions[name] != nil }

  var isOpen: Bool { !closed }

  /// One request of a batch.
  enum Request {
    case stat(String)
    case remove(String)
    case rename(from: String, to: String)
    /// Only when the server offers it: an unknown extended request makes some servers
    /// close the channel.
    case posixRename(from: String, to: String)
    case statvfs(String)
    case openDirectory(String)
    /// The next names of an open directory (status 1, end of file, when there are none).
    case readDirectory(handle: String)
    /// Created or truncated, mode 0600.
    case openForWriting(String)
    case close(handle: String)

    var what: String {
      switch self {
      case .stat(let path): "stat \(path)"
      case .remove(let path): "remove \(path)"
      case .rename(let from, let to), .posixRename(let from, let to): "rename \(from) to \(to)"
      case .statvfs(let path): "ask the free space of \(path)"
      case .openDirectory(let path): "open the directory \(path)"
      case .readDirectory: "read a directory"
      case .openForWriting(let path): "create \(path)"
      case .close: "close a handle"
      }
    }
  }

  /// What the server answered to one request.
  struct Reply {
    /// The SFTP status (0 for a request answered with data).
    var status: UInt32 = 0
    /// A file's size (stat).
    var size: UInt64?
    /// The bytes free to the user (statvfs: f_bavail × f_frsize).
    var freeBytes: UInt64?
    /// A handle the server opened (open a directory or a file).
    var handle: String?
    /// The names a directory read returned, with their sizes (0 where none is given).
    var entries: [(name: String, size: UInt64)]?

    var ok: Bool { status == 0 }
  }

  /// Sends every request, then reads every answer: one round trip for the batch.
  func batch(_ requests: [Request]) throws -> [Reply] {
    var ids: [UInt32] = []
    for request in requests {
      let id = nextID
      nextID += 1
      ids.append(id)
      try send(packet(request, id: id))
    }
    var replies = [Reply](repeating: Reply(), count: requests.count)
    for _ in requests {
      var reply = try receive()
      guard let id = reply.uint32(), let index = ids.firstIndex(of: id) else {
        throw StageFailure(.protocolError, code: "E_SFTP", "an SFTP answer to no request of ours")
      }
      switch reply.type {
      case 101:  // SSH_FXP_STATUS
        replies[index].status = reply.uint32() ?? 4
      case 102:  // SSH_FXP_HANDLE
        replies[index].handle = reply.string()
      case 104:  // SSH_FXP_NAME: count, then (name, long name, attributes) each
        var entries: [(name: String, size: UInt64)] = []
        for _ in 0..<(reply.uint32() ?? 0) {
          guard let name = reply.string(), reply.string() != nil, let size = reply.attributeSize() else { break }
          entries.append((name, size ?? 0))
        }
        replies[index].entries = entries
      case 105:  // SSH_FXP_ATTRS
        if let flags = reply.uint32(), flags & 1 != 0, let size = reply.uint64() { replies[index].size = size }
      case 201:  // SSH_FXP_EXTENDED_REPLY (statvfs: bsize, frsize, blocks, bfree, bavail, ...)
        let values = (0..<5).compactMap { _ in reply.uint64() }
        if values.count == 5 { replies[index].freeBytes = values[4] &* values[1] }
      default:
        throw StageFailure(.protocolError, code: "E_SFTP", "\(requests[index].what): unexpected SFTP answer \(reply.type)")
      }
    }
    return replies
  }

  private func packet(_ request: Request, id: UInt32) -> Packet {
    var packet: Packet
    switch request {
    case .stat(let path):
      packet = Packet(type: 17)  // SSH_FXP_STAT
      packet.uint32(id)
      packet.string(path)
    case .remove(let path):
      packet = Packet(type: 13)  // SSH_FXP_REMOVE
      packet.uint32(id)
      packet.string(path)
    case .rename(let from, let to):
      packet = Packet(type: 18)  // SSH_FXP_RENAME
      packet.uint32(id)
      packet.string(from)
      packet.string(to)
    case .posixRename(let from, let to):
      packet = Packet(type: 200)  // SSH_FXP_EXTENDED
      packet.uint32(id)
      packet.string(Self.posixRename)
      packet.string(from)
      packet.string(to)
    case .statvfs(let path):
      packet = Packet(type: 200)
      packet.uint32(id)
      packet.string(Self.statvfs)
      packet.string(path)
    case .openDirectory(let path):
      packet = Packet(type: 11)  // SSH_FXP_OPENDIR
      packet.uint32(id)
      packet.string(path)
    case .readDirectory(let handle):
      packet = Packet(type: 12)  // SSH_FXP_READDIR
      packet.uint32(id)
      packet.string(handle)
    case .openForWriting(let path):
      packet = Packet(type: 3)  // SSH_FXP_OPEN
      packet.uint32(id)
      packet.string(path)
      packet.uint32(0x02 | 0x08 | 0x10)  // SSH_FXF_WRITE | SSH_FXF_CREAT | SSH_FXF_TRUNC
      packet.uint32(0x04)  // SSH_FILEXFER_ATTR_PERMISSIONS
      packet.uint32(0o600)
    case .close(let handle):
      packet = Packet(type: 4)  // SSH_FXP_CLOSE
      packet.uint32(id)
      packet.string(handle)
    }
    return packet
  }

  func send(_ packet: Packet) throws {
    let bytes = packet.framed
    try bytes.withUnsafeBufferPointer { try sendRaw($0.baseAddress!, count: bytes.count) }
  }

  /// Sends bytes already framed as SFTP packets.
  func sendRaw(_ bytes: UnsafePointer<UInt8>, count: Int) throws {
    var offset = 0
    while offset < count {
      let written = bytes.withMemoryRebound(to: CChar.self, capacity: count) {
        libssh2_channel_write_ex(channel, 0, $0 + offset, count - offset)
      }
      if written < 0 {
        broken = true
        throw TransferFailure.session(session.session, "sending an SFTP request")
      }
      offset += written
    }
  }

  func receive() throws -> Reader {
    func read(_ count: Int) throws -> [UInt8] {
      var bytes = [UInt8](repeating: 0, count: count)
      var offset = 0
      while offset < count {
        let got = bytes.withUnsafeMutableBufferPointer { buffer in
          buffer.withMemoryRebound(to: CChar.self) {
            libssh2_channel_read_ex(channel, 0, $0.baseAddress! + offset, count - offset)
          }
        }
        if got < 0 {
          broken = true
          throw TransferFailure.session(session.session, "reading an SFTP answer")
        }
        if got == 0 {
          broken = true
          throw StageFailure(.temporaryFailure, code: "E_CONNECTION", "the server closed the SFTP channel")
        }
        offset += got
      }
      return bytes
    }
    let header = try read(4)
    let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
    guard (1...(1 << 20)).contains(length) else {
      throw StageFailure(.protocolError, code: "E_SFTP", "an SFTP answer of \(length) bytes")
    }
    let body = try read(length)
    return Reader(type: body[0], bytes: Array(body.dropFirst()))
  }

  struct Packet {
    var bytes: [UInt8]
    init(type: UInt8) { bytes = [type] }
    mutating func uint32(_ value: UInt32) {
      bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
    mutating func string(_ text: String) {
      uint32(UInt32(text.utf8.count))
      bytes += Array(text.utf8)
    }
    var framed: [UInt8] {
      var out = Packet(type: 0)
      out.bytes = []
      out.uint32(UInt32(bytes.count))
      return out.bytes + bytes
    }
  }

  struct Reader {
    let type: UInt8
    var bytes: [UInt8]
    var offset = 0
    init(type: UInt8, bytes: [UInt8]) {
      self.type = type
      self.bytes = bytes
    }
    mutating func uint32() -> UInt32? {
      guard offset + 4 <= bytes.count else { return nil }
      defer { offset += 4 }
      return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
        | UInt32(bytes[offset + 3])
    }
    mutating func uint64() -> UInt64? {
      guard let high = uint32(), let low = uint32() else { return nil }
      return UInt64(high) << 32 | UInt64(low)
    }
    /// Reads a file's attributes (draft-02 section 5) for the size they give: nil when
    /// they are cut short, .some(nil) when they have no size.
    mutating func attributeSize() -> UInt64?? {
      guard let flags = uint32() else { return nil }
      var size: UInt64?
      if flags & 0x1 != 0 {
        guard let value = uint64() else { return nil }
        size = value
      }
      var words = 0
      if flags & 0x2 != 0 { words += 2 }  // uid, gid
      if flags & 0x4 != 0 { words += 1 }  // permissions
      if flags & 0x8 != 0 { words += 2 }  // atime, mtime
      for _ in 0..<words { guard uint32() != nil else { return nil } }
      if flags & 0x8000_0000 != 0 {  // extended pairs
        for _ in 0..<(uint32() ?? 0) { guard string() != nil, string() != nil else { return nil } }
      }
      return .some(size)
    }
    mutating func string() -> String? {
      guard let length = uint32(), offset + Int(length) <= bytes.count else { return nil }
      defer { offset += Int(length) }
      return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
    }
  }
}
