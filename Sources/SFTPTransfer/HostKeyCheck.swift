#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import Foundation
import RecordStream

/// How the server's host key is trusted. There is no option to skip the check: an
/// unchecked key hands a district's student data to whoever answers.
public enum HostKeyPolicy: Sendable, Equatable {
  /// An OpenSSH known_hosts file (plain, hashed and `[host]:port` entries).
  case knownHosts(path: String, acceptNew: Bool)
  /// A pinned fingerprint, `SHA256:...` as `ssh-keygen -lf` prints it.
  case pinned(fingerprint: String)
}

/// How a refused key's message says to trust a key: sftp-put's own options, or what
/// the program that runs sftp-put takes instead (clever-sync names its profile's
/// `host_key` and its own command), so no one is told of an option they cannot give.
public struct HostKeyAdvice: Sendable, Equatable {
  /// How to pin a fingerprint; `{fingerprint}` stands for it.
  public var pin = "trust it with --host-key {fingerprint}"
  /// How to record a new key in known_hosts.
  public var record = "record it with --accept-new-host-key"

  public init() {}

  /// sftp-put's own words, or those its caller gives in SFTP_PUT_PIN_ADVICE and
  /// SFTP_PUT_RECORD_ADVICE.
  public init(environment: [String: String]) {
    if let pin = environment["SFTP_PUT_PIN_ADVICE"], !pin.isEmpty { self.pin = pin }
    if let record = environment["SFTP_PUT_RECORD_ADVICE"], !record.isEmpty { self.record = record }
  }

  func pin(_ fingerprint: String) -> String { pin.replacing("{fingerprint}", with: fingerprint) }
}

/// Checks a host key against the policy, with libssh2's known-hosts functions.
struct HostKeyCheck {
  let policy: HostKeyPolicy
  let host: String
  let port: Int
  var advice = HostKeyAdvice()

  /// The name OpenSSH records for the host: `[host]:port` when the port is not 22.
  var recordedName: String { port == 22 ? host : "[\(host)]:\(port)" }

  /// The key algorithms already recorded for the host, to ask the server for those first
  /// (so a server with several keys shows the one we know). Plain entries only: a
  /// hashed name cannot be matched without the key.
  func recordedAlgorithms(session: OpaquePointer) -> String? {
    guard case .knownHosts(let path, _) = policy, let hosts = libssh2_knownhost_init(session) else { return nil }
    defer { libssh2_knownhost_free(hosts) }
    guard libssh2_knownhost_readfile(hosts, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH) >= 0 else { return nil }
    var algorithms: [String] = []
    var previous: UnsafeMutablePointer<libssh2_knownhost>?
    var entry: UnsafeMutablePointer<libssh2_knownhost>?
    while libssh2_knownhost_get(hosts, &entry, previous) == 0, let current = entry {
      previous = current
      guard let name = current.pointee.name.map({ String(cString: $0) }),
        name.split(separator: ",").contains(where: { $0 == recordedName || $0 == host && port == 22 })
      else { continue }
      let type = current.pointee.typemask & LIBSSH2_KNOWNHOST_KEY_MASK
      let algorithm: String? = switch type {
      case LIBSSH2_KNOWNHOST_KEY_ED25519: "ssh-ed25519"
      case LIBSSH2_KNOWNHOST_KEY_ECDSA_256: "ecdsa-sha2-nistp256"
      case LIBSSH2_KNOWNHOST_KEY_ECDSA_384: "ecdsa-sha2-nistp384"
      case LIBSSH2_KNOWNHOST_KEY_ECDSA_521: "ecdsa-sha2-nistp521"
      case LIBSSH2_KNOWNHOST_KEY_SSHRSA: "rsa-sha2-512,rsa-sha2-256,ssh-rsa"
      default: nil
      }
      if let algorithm, !algorithms.contains(algorithm) { algorithms.append(algorithm) }
    }
    return algorithms.isEmpty ? nil : algorithms.joined(separator: ",")
  }

  /// Verifies `key`; throws a failure that says what to do when it is not trusted.
  /// Returns a note when a new key was recorded (--accept-new-host-key).
  func verify(_ key: HostKey, session: OpaquePointer) throws(StageFailure) -> String? {
    switch policy {
    case .pinned(let fingerprint):
      let wanted = fingerprint.hasPrefix("SHA256:") ? fingerprint : "SHA256:" + fingerprint
      guard wanted == key.fingerprint else {
        throw StageFailure(
          .permissionDenied, code: "E_HOST_KEY_CHANGED",
          "HOST KEY MISMATCH for \(recordedName): the server's \(key.algorithm) key is \(key.fingerprint), not the pinned \(wanted). "
            + "Someone may be intercepting the connection. Nothing was sent. If the server's key really changed, "
            + "confirm the new fingerprint with the server's operator (Clever support), then "
            + "\(advice.pin(key.fingerprint)). "
            + "(A server with several keys shows its \(key.algorithm) key here: pin that one, not another type.)")
      }
      return nil
    case .knownHosts(let path, let acceptNew):
      guard let hosts = libssh2_knownhost_init(session) else {
        throw StageFailure(.ioError, code: "E_SSH", "libssh2 could not read known hosts")
      }
      defer { libssh2_knownhost_free(hosts) }
      let exists = access(path, F_OK) == 0
      if exists, libssh2_knownhost_readfile(hosts, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0 {
        throw StageFailure(.configuration, code: "E_KNOWN_HOSTS",
                           "cannot read \(path): \(TransferFailure.lastError(session).message)")
      }
      var found: UnsafeMutablePointer<libssh2_knownhost>?
      let result = key.bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
          libssh2_knownhost_checkp(
            hosts, host, Int32(port), chars.baseAddress, chars.count,
            LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key.knownHostType, &found)
        }
      }
      switch result {
      case LIBSSH2_KNOWNHOST_CHECK_MATCH:
        return nil
      case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
        throw StageFailure(
          .permissionDenied, code: "E_HOST_KEY_CHANGED",
          "HOST KEY CHANGED for \(recordedName): the server now shows \(key.algorithm) \(key.fingerprint), which \(path) "
            + "does not have for it. Someone may be intercepting the connection (or the server's key was replaced). "
            + "Nothing was sent. Confirm the new fingerprint with the server's operator before removing the old entry "
            + "(ssh-keygen -R '\(recordedName)' -f \(path)); no option of sftp-put overrides this.")
      default:
        guard acceptNew else {
          throw StageFailure(
            .permissionDenied, code: "E_HOST_KEY_UNKNOWN",
            "the host key of \(recordedName) is not in \(path): \(key.algorithm) \(key.fingerprint). Nothing was sent. "
              + "If that fingerprint is the server's (ask its operator), \(advice.pin(key.fingerprint)), "
              + "or \(advice.record), or run: ssh-keyscan -p \(port) \(host) >> \(path)")
        }
        let line = "\(recordedName) \(key.algorithm) \(Data(key.bytes).base64EncodedString())\n"
        try append(line, to: path)
        return "recorded the \(key.algorithm) key \(key.fingerprint) of \(recordedName) in \(path)"
      }
    }
  }

  /// Appends a line to the known_hosts file (created 0600, its folder 0700 as ssh does).
  private func append(_ line: String, to path: String) throws(StageFailure) {
    if let slash = path.lastIndex(of: "/") {
      let folder = String(path[..<slash])
      if !folder.isEmpty, access(folder, F_OK) != 0 { mkdir(folder, 0o700) }
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw StageFailure(.cannotCreate, code: "E_KNOWN_HOSTS", "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let bytes = Array(line.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
      throw StageFailure(.ioError, code: "E_KNOWN_HOSTS", "cannot write \(path): \(String(cString: strerror(errno)))")
    }
  }
}
