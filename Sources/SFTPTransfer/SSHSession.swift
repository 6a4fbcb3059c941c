#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import Foundation
import Crypto
import RecordStream
import Secrets

/// One SSH connection: a socket and the libssh2 session on it, each owned here and
/// freed once. Blocking, with libssh2's timeout as the inactivity timeout.
final class SSHSession {
  let session: OpaquePointer
  private let socket: Int32
  let host: String
  let port: Int
  /// The password, kept for keyboard-interactive prompts (libssh2 calls back into C).
  private var kbdPassword: UnsafeMutablePointer<CChar>?

  init(host: String, port: Int, connectTimeout: Double, inactivityTimeout: Double, hostKeyMethods: String?) throws {
    _ = LibSSH2.initialised
    self.host = host
    self.port = port
    socket = try TCPConnection.connect(host: host, port: port, timeout: connectTimeout)
    guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
      close(socket)
      throw StageFailure(.ioError, code: "E_SSH", "libssh2 could not create a session")
    }
    self.session = session
    libssh2_session_set_blocking(session, 1)
    libssh2_session_set_timeout(session, Int(inactivityTimeout * 1000))
    if let hostKeyMethods {
      _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, hostKeyMethods)
    }
    if libssh2_session_handshake(session, libssh2_socket_t(socket)) != 0 {
      throw TransferFailure.session(session, "SSH handshake with \(host)")
    }
  }

  deinit {
    libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "done", "")
    libssh2_session_free(session)
    close(socket)
    if let kbdPassword {
      memset(kbdPassword, 0, strlen(kbdPassword))
      free(kbdPassword)
    }
  }

  /// The server's host key: its bytes, libssh2's type, and OpenSSH's SHA256 fingerprint.
  func hostKey() throws -> HostKey {
    var length = 0
    var type: Int32 = 0
    guard let key = libssh2_session_hostkey(session, &length, &type) else {
      throw TransferFailure.session(session, "reading the host key of \(host)")
    }
    let bytes = Array(UnsafeRawBufferPointer(start: key, count: length))
    return HostKey(bytes: bytes, type: type)
  }

  /// The methods the server offers `user` ("publickey,password,keyboard-interactive").
  func authMethods(user: String) -> [String] {
    guard let list = libssh2_userauth_list(session, user, UInt32(user.utf8.count)) else { return [] }
    // (nil also when the server lets the user in with no authentication at all)
    return String(cString: list).split(separator: ",").map(String.init)
  }

  var isAuthenticated: Bool { libssh2_userauth_authenticated(session) == 1 }

  func authenticate(user: String, password: Secret) -> Bool {
    libssh2_userauth_password_ex(session, user, UInt32(user.utf8.count), password.value, UInt32(password.value.utf8.count),
                                 nil) == 0
  }

  /// Keyboard-interactive, answering every prompt with the password (servers that
  /// offer only this ask for the password as a prompt).
  func authenticateInteractively(user: String, password: Secret) -> Bool {
    if let kbdPassword { free(kbdPassword) }
    kbdPassword = strdup(password.value)
    let abstract = libssh2_session_abstract(session)
    abstract?.pointee = UnsafeMutableRawPointer(kbdPassword)
    return libssh2_userauth_keyboard_interactive_ex(session, user, UInt32(user.utf8.count)) {
      _, _, _, _, count, _, responses, abstract in
      guard let responses, let password = abstract?.pointee?.assumingMemoryBound(to: CChar.self) else { return }
      for index in 0..<Int(count) {
        // libssh2 frees each response with free().
        responses[index].text = strdup(password)
        responses[index].length = UInt32(strlen(password))
      }
    } == 0
  }

  func authenticate(user: String, privateKey: String, passphrase: Secret?) -> Bool {
    libssh2_userauth_publickey_fromfile_ex(session, user, UInt32(user.utf8.count), nil, privateKey, passphrase?.value)
      == 0
  }
}

/// A server's host key.
struct HostKey: Equatable {
  let bytes: [UInt8]
  let type: Int32

  /// `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it.
  var fingerprint: String {
    let digest = Array(SHA256.hash(data: bytes))
    return "SHA256:" + Data(digest).base64EncodedString().replacingOccurrences(of: "=", with: "")
  }

  /// The OpenSSH name of the key's algorithm.
  var algorithm: String {
    switch type {
    case LIBSSH2_HOSTKEY_TYPE_RSA: "ssh-rsa"
    case LIBSSH2_HOSTKEY_TYPE_DSS: "ssh-dss"
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: "ecdsa-sha2-nistp256"
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: "ecdsa-sha2-nistp384"
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: "ecdsa-sha2-nistp521"
    case LIBSSH2_HOSTKEY_TYPE_ED25519: "ssh-ed25519"
    default: "unknown"
    }
  }

  /// libssh2's known-hosts type bit for the key.
  var knownHostType: Int32 {
    switch type {
    case LIBSSH2_HOSTKEY_TYPE_RSA: LIBSSH2_KNOWNHOST_KEY_SSHRSA
    case LIBSSH2_HOSTKEY_TYPE_DSS: LIBSSH2_KNOWNHOST_KEY_SSHDSS
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: LIBSSH2_KNOWNHOST_KEY_ECDSA_256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: LIBSSH2_KNOWNHOST_KEY_ECDSA_384
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: LIBSSH2_KNOWNHOST_KEY_ECDSA_521
    case LIBSSH2_HOSTKEY_TYPE_ED25519: LIBSSH2_KNOWNHOST_KEY_ED25519
    default: LIBSSH2_KNOWNHOST_KEY_UNKNOWN
    }
  }
}
