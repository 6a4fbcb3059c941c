#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import RecordStream

/// Connecting for an upload or a check: the host key checked, then the login, with a
/// message that says what the server offers and what was tried.
extension UploadSession {
  struct Connection {
    let ssh: SSHSession
    let sftp: SFTPClient
  }

  /// Connects, checks the host key, authenticates, and starts libssh2's SFTP (--check).
  func connect(step: (String, String?) -> Void = { _, _ in }) throws -> Connection {
    let ssh = try connectSession(step: step)
    return Connection(ssh: ssh, sftp: try SFTPClient(ssh))
  }

  /// Connects, checks the host key, authenticates. `step` hears each step's outcome.
  func connectSession(step: (String, String?) -> Void = { _, _ in }) throws -> SSHSession {
    let check = HostKeyCheck(policy: options.hostKeyPolicy, host: destination.host, port: destination.port,
                             advice: options.hostKeyAdvice)
    // The preferred algorithms come from known_hosts; libssh2 needs a session to read it.
    var preference: String?
    if case .knownHosts = options.hostKeyPolicy {
      _ = LibSSH2.initialised
      if let probe = libssh2_session_init_ex(nil, nil, nil, nil) {
        preference = check.recordedAlgorithms(session: probe)
        libssh2_session_free(probe)
      }
    }
    let ssh = try SSHSession(host: destination.host, port: destination.port, connectTimeout: options.connectTimeout,
                             inactivityTimeout: options.inactivityTimeout, hostKeyMethods: preference)
    step("connect", "\(destination.host) port \(destination.port)")
    let key = try ssh.hostKey()
    if let recorded = try check.verify(key, session: ssh.session) { note(recorded) }
    step("host key", "\(key.algorithm) \(key.fingerprint) trusted")
    try authenticate(ssh)
    step("authenticate", "as \(options.user)")
    return ssh
  }

  private func authenticate(_ ssh: SSHSession) throws {
    let user = options.user
    let offered = ssh.authMethods(user: user)
    if ssh.isAuthenticated { return }  // a server that needs none
    if offered.isEmpty {
      // No list and not let in: the connection failed while asking (retried if transient).
      throw TransferFailure.session(ssh.session, "asking \(destination.host) how to log in")
    }
    var tried: [String] = []
    if let key = options.privateKey, offered.contains("publickey") {
      tried.append("publickey (\(key))")
      if ssh.authenticate(user: user, privateKey: key, passphrase: options.passphrase) { return }
    }
    if let password = options.password {
      if offered.contains("password") {
        tried.append("password")
        if ssh.authenticate(user: user, password: password) { return }
      }
      if offered.contains("keyboard-interactive") {
        tried.append("keyboard-interactive")
        if ssh.authenticateInteractively(user: user, password: password) { return }
      }
    }
    let offers = offered.isEmpty ? "none" : offered.joined(separator: ", ")
    let attempted = tried.isEmpty ? "nothing we have fits them" : "tried " + tried.joined(separator: ", ")
    var hint = ""
    if options.password == nil && options.privateKey == nil {
      hint = "; give a password in SFTP_PASSWORD or --password-file, or a key with --identity"
    } else if options.password == nil && (offered.contains("password") || offered.contains("keyboard-interactive")) {
      hint = "; the server takes a password: SFTP_PASSWORD or --password-file"
    } else if options.privateKey == nil && offered == ["publickey"] {
      hint = "; the server takes only keys: --identity"
    } else if options.privateKey != nil && offered.contains("publickey") {
      hint = options.passphrase == nil
        ? "; is the key registered for \(user), or does it need a passphrase (SFTP_KEY_PASSPHRASE or --passphrase-file)?"
        : "; is the key registered for \(user), and is the passphrase right?"
    }
    throw StageFailure(.permissionDenied, code: "E_AUTH",
                       "\(user)@\(destination.host) was not let in: the server offers \(offers); \(attempted)\(hint)")
  }
}
