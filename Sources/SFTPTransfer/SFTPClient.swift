#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import Crypto
import DigestText
import Dispatch
import RecordStream

/// libssh2's SFTP subsystem of a session, for what an upload does not do on its own
/// channel (SFTPChannel): `--check`'s listing and test file, `--verify`'s read-back. Owns
/// the LIBSSH2_SFTP handle, shut down once.
final class SFTPClient {
  let ssh: SSHSession
  let sftp: OpaquePointer
  /// How many bytes of a file an upload keeps in flight (PipelinedWrite; libssh2's
  /// writes for --check-write, which pipeline only as deep as the buffer they are given).
  ///
  /// Its size follows the round trip: 1.5 MiB, plus what 256 MiB/s fills in one round
  /// trip, at most 4 MiB. On loopback (a round trip of a fraction of a millisecond) that
  /// keeps the data in flight under OpenSSH's 2 MiB channel window: more only piles up
  /// in sshd's buffers, which grow by reallocation and copying, and on a machine of two
  /// cores that work is taken from the upload (a 4 MiB window made a 100 MB upload about
  /// 20% slower than OpenSSH's sftp; 1.5 MiB about 15% faster). With 10 ms each way the
  /// link needs the full channel window in flight, and 4 MiB keeps it full
  /// (Tests/Benchmarks/sftp-bench.sh).
  static func writeWindow(roundTrip: Double) -> Int {
    let base = 3 << 19, most = 4 << 20
    guard roundTrip.isFinite, roundTrip >= 0 else { return most }
    let window = base + Int(min(Double(most), roundTrip * Double(256 << 20)))
    return min(most, (window + 0xFFFF) & ~0xFFFF)  // whole 64 KiB
  }

  /// The shortest round trip seen on this connection (an SFTP open and its answer), in
  /// seconds: a slow open on the server can only make it look longer, never shorter.
  private var roundTrip = Double.infinity

  init(_ ssh: SSHSession) throws {
    self.ssh = ssh
    guard let sftp = libssh2_sftp_init(ssh.session) else {
      throw TransferFailure.session(ssh.session, "starting SFTP on \(ssh.host)")
    }
    self.sftp = sftp
  }

  deinit { libssh2_sftp_shutdown(sftp) }

  private func failure(_ what: String) -> StageFailure { TransferFailure.session(ssh.session, what, sftp: sftp) }

  /// Uploads `local` to `remote` (created or truncated, mode 0600), from a sliding
  /// window: after a short write the unacknowledged bytes are passed again, as libssh2
  /// requires. Closing the handle is checked, since late write errors surface there.
  func upload(local: String, to remote: String, progress: (Int) -> Void) throws -> (bytes: Int, sha256: String) {
    let input = open(local, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
      throw StageFailure(.noInput, code: "E_INPUT", "cannot read \(local): \(String(cString: strerror(errno)))")
    }
    defer { close(input) }
    let opening = monotonicSeconds()
    guard let handle = libssh2_sftp_open_ex(
      sftp, remote, UInt32(remote.utf8.count),
      UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC), 0o600, LIBSSH2_SFTP_OPENFILE)
    else { throw failure("create \(remote)") }
    roundTrip = min(roundTrip, monotonicSeconds() - opening)
    let windowSize = Self.writeWindow(roundTrip: roundTrip)
    var closed = false
    defer { if !closed { libssh2_sftp_close_handle(handle) } }

    // The digest is computed on another core, from a second read of the file (from the
    // page cache): hashing in the send loop cost a tenth of a loopback upload's time.
    let digest = FileDigest()
    let hashing = DispatchGroup()
    DispatchQueue.global(qos: .userInitiated).async(group: hashing) { digest.compute(local) }
    defer { hashing.wait() }
    let window = UnsafeMutablePointer<UInt8>.allocate(capacity: windowSize)
    defer { window.deallocate() }
    var start = 0  // first byte not yet acknowledged
    var end = 0  // end of the bytes read from the file
    var total = 0
    var atEOF = false
    var idle = 0
    while true {
      // Refill once half the window is free: keep the unacknowledged bytes at the front
      // and top the window up, so the pipeline never drains (and bytes are moved about
      // once, not once per acknowledgement).
      if !atEOF, end - start <= windowSize / 2 {
        if start > 0 {
          memmove(window, window + start, end - start)
          end -= start
          start = 0
        }
        let count = SystemCall.read(input, window + end, windowSize - end)
        if count < 0 {
          throw StageFailure(.ioError, code: "E_READ", "cannot read \(local): \(String(cString: strerror(errno)))")
        }
        if count == 0 { atEOF = true }
        end += count
      }
      if start == end {
        if atEOF { break }
        continue
      }
      let written = window.withMemoryRebound(to: CChar.self, capacity: windowSize) {
        libssh2_sftp_write(handle, $0 + start, end - start)
      }
      if written < 0 { throw failure("write \(remote)") }
      if written == 0 {
        // libssh2 answers 0 when it could neither send nor get an acknowledgement (a
        // connection gone quiet or closed under it): never spin on that.
        if libssh2_session_last_errno(ssh.session) != 0 { throw failure("write \(remote)") }
        idle += 1
        if idle > 3 {
          throw StageFailure(.temporaryFailure, code: "E_CONNECTION", "write \(remote): the server stopped acknowledging data")
        }
        continue
      }
      idle = 0
      start += written
      total += written
      progress(written)
    }
    closed = true
    if libssh2_sftp_close_handle(handle) != 0 { throw failure("finish writing \(remote)") }
    hashing.wait()
    guard let sha256 = digest.hex, digest.bytes == total else {
      throw StageFailure(.ioError, code: "E_READ", "\(local) changed while it was being uploaded")
    }
    return (total, sha256)
  }

  /// The SHA-256 of a remote file, read back (--verify).
  func sha256(of remote: String) throws -> (bytes: Int, sha256: String) {
    guard let handle = libssh2_sftp_open_ex(sftp, remote, UInt32(remote.utf8.count), UInt(LIBSSH2_FXF_READ), 0,
                                            LIBSSH2_SFTP_OPENFILE)
    else { throw failure("open \(remote) to verify it") }
    defer { libssh2_sftp_close_handle(handle) }
    var hasher = SHA256()
    var total = 0
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 1 << 18)
    defer { buffer.deallocate() }
    while true {
      let count = libssh2_sftp_read(handle, buffer, 1 << 18)
      if count < 0 { throw failure("read \(remote) to verify it") }
      if count == 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
      total += count
    }
    return (total, hasher.finalize().hex)
  }

  func remove(_ path: String) throws {
    if libssh2_sftp_unlink_ex(sftp, path, UInt32(path.utf8.count)) != 0 { throw failure("remove \(path)") }
  }

  /// The names in a remote directory.
  func list(_ path: String) throws -> [String] { try listSizes(path).keys.sorted() }

  /// The names in a remote directory, with their sizes (0 when the server gives none).
  func listSizes(_ path: String) throws -> [String: UInt64] {
    let directory = path.isEmpty ? "." : path
    guard let handle = libssh2_sftp_open_ex(sftp, directory, UInt32(directory.utf8.count), 0, 0, LIBSSH2_SFTP_OPENDIR)
    else { throw failure("list \(directory)") }
    defer { libssh2_sftp_close_handle(handle) }
    var names: [String: UInt64] = [:]
    var buffer = [CChar](repeating: 0, count: 1024)
    var attributes = LIBSSH2_SFTP_ATTRIBUTES()
    while true {
      let count = libssh2_sftp_readdir_ex(handle, &buffer, buffer.count, nil, 0, &attributes)
      if count < 0 { throw failure("list \(directory)") }
      if count == 0 { break }
      let name = String(decoding: buffer[0..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if name != "." && name != ".." {
        names[name] = attributes.flags & UInt(LIBSSH2_SFTP_ATTR_SIZE) != 0 ? attributes.filesize : 0
      }
    }
    return names
  }
}

/// A file's SHA-256, computed on another thread (set once, read after the wait).
final class FileDigest: @unchecked Sendable {
  private(set) var hex: String?
  private(set) var bytes = 0

  func compute(_ path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var hasher = SHA256()
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    var total = 0
    while true {
      let count = SystemCall.read(fd, buffer, 1 << 20)
      if count < 0 { return }
      if count == 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
      total += count
    }
    bytes = total
    hex = hasher.finalize().hex
  }
}
