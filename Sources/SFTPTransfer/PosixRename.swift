#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import RecordStream

/// OpenSSH's `posix-rename@openssh.com`: a rename that replaces the target atomically.
///
/// Written by hand because libssh2 1.10 (Debian 12's) has no call for it (1.11 added
/// libssh2_sftp_posix_rename_ex) and no way to send an SFTP extended request, while a
/// plain SFTP v3 rename fails when the target exists. So this opens a second SFTP
/// channel on the same session and speaks the few packets it needs: INIT/VERSION (which
/// lists the server's extensions), STAT/ATTRS and EXTENDED/STATUS, sending each batch of
/// requests at once (libssh2 waits for every answer in turn). Draft-ietf-secsh-filexfer-02.
final class PosixRename {
  private let session: SSHSession
  private let channel: OpaquePointer
  private var nextID: UInt32 = 1

  static let name = "posix-rename@openssh.com"

  init(_ session: SSHSession) throws {
    self.session = session
    let type = "session"
    guard let channel = libssh2_channel_open_ex(session.session, type, UInt32(type.utf8.count), 2 * 1024 * 1024, 32768,
                                                nil, 0)
    else { throw TransferFailure.session(session.session, "opening a channel for rename") }
    self.channel = channel
    let request = "subsystem", subsystem = "sftp"
    guard libssh2_channel_process_startup(channel, request, UInt32(request.utf8.count), subsystem,
                                          UInt32(subsystem.utf8.count)) == 0
    else {
      libssh2_channel_free(channel)
      throw TransferFailure.session(session.session, "starting SFTP for rename")
    }
    var initPacket = Packet(type: 1)  // SSH_FXP_INIT
    initPacket.uint32(3)
    do {
      // The VERSION answer is read with the first request's answers: one round trip less.
      try PosixRename.send(initPacket, on: channel, session)
    } catch {
      libssh2_channel_free(channel)
      throw error
    }
  }

  /// The extensions the server offers, from its VERSION packet (read once, when first needed).
  private var offered: [String]?

  private func readVersion() throws -> [String] {
    if let offered { return offered }
    var reply = try Self.receive(on: channel, session)
    guard reply.type == 2, let _ = reply.uint32() else {  // SSH_FXP_VERSION
      throw StageFailure(.protocolError, code: "E_SFTP", "the server's SFTP greeting was not understood")
    }
    var found: [String] = []
    while let name = reply.string(), let _ = reply.string() { found.append(name) }
    offered = found
    return found
  }

  /// The sizes of `paths` on the server (nil: no such file), all asked at once.
  func sizes(of paths: [String]) throws -> [UInt64?] {
    var ids: [UInt32] = []
    for path in paths {
      var packet = Packet(type: 17)  // SSH_FXP_STAT
      let id = nextID
      nextID += 1
      ids.append(id)
      packet.uint32(id)
      packet.string(path)
      try Self.send(packet, on: channel, session)
    }
    _ = try readVersion()
    var sizes = [UInt64?](repeating: nil, count: paths.count)
    for _ in paths {
      var reply = try Self.receive(on: channel, session)
      guard let id = reply.uint32(), let index = ids.firstIndex(of: id) else {
        throw StageFailure(.protocolError, code: "E_SFTP", "stat: unexpected SFTP answer")
      }
      if reply.type == 105, let flags = reply.uint32(), flags & 1 != 0, let high = reply.uint32(), let low = reply.uint32() {
        sizes[index] = UInt64(high) << 32 | UInt64(low)  // SSH_FXP_ATTRS with SSH_FILEXFER_ATTR_SIZE
      } else if reply.type != 101 {  // SSH_FXP_STATUS: no such file
        throw StageFailure(.protocolError, code: "E_SFTP", "stat \(paths[index]): unexpected SFTP answer")
      }
    }
    return sizes
  }

  deinit {
    libssh2_channel_close(channel)
    libssh2_channel_free(channel)
  }

  /// Whether the server offers posix-rename.
  func isOffered() throws -> Bool { try readVersion().contains(Self.name) }

  /// Renames each `from` over its `to`, all requests sent before any answer is read:
  /// one round trip for the whole set, so the files change within an instant of each
  /// other. Returns, for each pair in order, nil or the failure of that rename.
  func renameAll(_ pairs: [(from: String, to: String)]) throws -> [StageFailure?] {
    _ = try readVersion()
    var ids: [UInt32] = []
    for (from, to) in pairs {
      var packet = Packet(type: 200)  // SSH_FXP_EXTENDED
      let id = nextID
      nextID += 1
      ids.append(id)
      packet.uint32(id)
      packet.string(Self.name)
      packet.string(from)
      packet.string(to)
      try Self.send(packet, on: channel, session)
    }
    var outcomes = [StageFailure?](repeating: nil, count: pairs.count)
    for _ in pairs {
      var reply = try Self.receive(on: channel, session)
      guard reply.type == 101, let id = reply.uint32(), let index = ids.firstIndex(of: id), let status = reply.uint32()
      else { throw StageFailure(.protocolError, code: "E_SFTP", "rename: unexpected SFTP answer") }
      if status != 0 {
        outcomes[index] = TransferFailure.sftpStatus(
          Int32(bitPattern: status), "rename \(pairs[index].from) to \(pairs[index].to)")
      }
    }
    return outcomes
  }

  private static func send(_ packet: Packet, on channel: OpaquePointer, _ session: SSHSession) throws {
    let bytes = packet.framed
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) {
          libssh2_channel_write_ex(channel, 0, $0.baseAddress! + offset, bytes.count - offset)
        }
      }
      if written < 0 { throw TransferFailure.session(session.session, "sending an SFTP request") }
      offset += written
    }
  }

  private static func receive(on channel: OpaquePointer, _ session: SSHSession) throws -> Reader {
    func read(_ count: Int) throws -> [UInt8] {
      var bytes = [UInt8](repeating: 0, count: count)
      var offset = 0
      while offset < count {
        let got = bytes.withUnsafeMutableBufferPointer { buffer in
          buffer.withMemoryRebound(to: CChar.self) {
            libssh2_channel_read_ex(channel, 0, $0.baseAddress! + offset, count - offset)
          }
        }
        if got < 0 { throw TransferFailure.session(session.session, "reading an SFTP answer") }
        if got == 0 { throw StageFailure(.protocolError, code: "E_SFTP", "the server closed the SFTP channel") }
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
    mutating func string() -> String? {
      guard let length = uint32(), offset + Int(length) <= bytes.count else { return nil }
      defer { offset += Int(length) }
      return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
    }
  }
}
