#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import RecordStream

/// Uploads a set of files so that the server never shows a half-written one under its
/// final name: every file goes to a temporary name beside its target, its size is
/// checked, and only when all are there are they renamed over the targets, one right
/// after another (posix-rename@openssh.com, atomic). On failure the temporaries are
/// removed and the previous files stay as they were. Failures a new connection may cure
/// (a reset, a timeout) are retried with backoff.
public final class UploadSession {
  public let destination: Destination
  public let options: UploadOptions
  private let note: (String) -> Void
  private let progress: (Int) -> Void

  public init(destination: Destination, options: UploadOptions, note: @escaping (String) -> Void,
              progress: @escaping (Int) -> Void = { _ in }) {
    self.destination = destination
    self.options = options
    self.note = note
    self.progress = progress
  }

  /// The temporary name of a file beside its target: hidden, and the same for every run,
  /// so one left by a run whose connection died is simply overwritten by the next (no
  /// listing to find it: a round trip saved on every upload).
  func temporaryPath(of name: String) -> String { destination.path(of: ".\(name).sftp-put") }

  // MARK: Connecting

  struct Connection {
    let ssh: SSHSession
    let sftp: SFTPClient
  }

  /// Connects, checks the host key, authenticates. `step` hears each step's outcome.
  func connect(step: (String, String?) -> Void = { _, _ in }) throws -> Connection {
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
    let sftp = try SFTPClient(ssh)
    return Connection(ssh: ssh, sftp: sftp)
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

  // MARK: Uploading

  /// Uploads `items` in order (the last one is renamed last). Returns one result per
  /// item and the failure that stopped the run, if any.
  public func upload(_ items: [UploadItem]) -> (results: [UploadResult], failure: StageFailure?) {
    var results = items.map { UploadResult(name: $0.name, remotePath: destination.path(of: $0.name)) }
    var done = Set<String>()
    var lastFailure: StageFailure?
    for attempt in 1...max(1, options.attempts) {
      for index in results.indices where !done.contains(results[index].name) { results[index].attempts = attempt }
      do {
        try uploadOnce(items.filter { !done.contains($0.name) }, results: &results, done: &done)
        return (results, nil)
      } catch let failure as StageFailure {
        lastFailure = failure
        guard TransferFailure.isTransient(failure), attempt < options.attempts else { break }
        let delay = min(30, pow2(attempt - 1)) + Double.random(in: 0..<0.5)
        note("attempt \(attempt) failed (\(failure.message)); trying again in \(String(format1(delay))) s")
        usleep(UInt32(delay * 1_000_000))
      } catch {
        lastFailure = StageFailure(.ioError, code: "E_UPLOAD", "\(error)")
        break
      }
    }
    for index in results.indices where !done.contains(results[index].name) {
      results[index].status = "failed"
      results[index].error = lastFailure?.message ?? "not uploaded"
    }
    return (results, lastFailure)
  }

  private func uploadOnce(_ items: [UploadItem], results: inout [UploadResult], done: inout Set<String>) throws {
    StageStop.setMessage(
      options.direct
        ? "stopped while writing files in place (--direct): a file being written may be incomplete on the server"
        : "stopped before any file was renamed into place: the server keeps its previous files "
          + "(hidden temporaries .NAME.sftp-put may remain; the next upload replaces them)")
    let connection = try connect()
    let sftp = connection.sftp
    var temporaries: [(item: UploadItem, temporary: String)] = []
    do {
      for item in items {
        let index = results.firstIndex { $0.name == item.name }!
        let started = monotonicSeconds()
        let target = destination.path(of: item.name)
        let path = options.direct ? target : temporaryPath(of: item.name)
        if !options.direct { temporaries.append((item, path)) }
        let sent: (bytes: Int, sha256: String)
        do {
          sent = try sftp.upload(local: item.local, to: path, progress: progress)
        } catch {
          // Direct mode: a failed file is removed rather than left truncated.
          if options.direct { try? sftp.remove(target) }
          throw error
        }
        if options.direct {
          try checkSize(path, sftp.size(of: path), sent: sent.bytes, removing: sftp)
        }
        results[index].bytes = sent.bytes
        results[index].sha256 = sent.sha256
        results[index].seconds += monotonicSeconds() - started
        if options.direct {
          results[index].status = "uploaded"
          done.insert(item.name)
        }
      }
      // The sizes of all temporaries, asked at once on the rename channel.
      var side: PosixRename?
      var sideFailure = ""
      if !options.direct {
        do { side = try PosixRename(connection.ssh) } catch { sideFailure = "\(error)" }
        let paths = temporaries.map(\.temporary)
        let sizes = try side.map { try $0.sizes(of: paths) } ?? paths.map { try sftp.size(of: $0) }
        for ((item, path), size) in zip(temporaries, sizes) {
          try checkSize(path, size, sent: results.first { $0.name == item.name }!.bytes, removing: nil)
        }
      }
      if options.verify {
        // Read back before the renames: a file that did not arrive intact never
        // replaces the previous one (in --direct mode it is already in place).
        try verify(items.map { ($0.name, options.direct ? destination.path(of: $0.name) : temporaryPath(of: $0.name)) },
                   sftp: sftp, results: results)
      }
      if !options.direct {
        // A stop (SIGTERM, clever-sync gone) waits for the renames and the records that
        // report them (the command releases it): never half a set, never an untold one.
        StageStop.hold()
        StageStop.setMessage("stopped while renaming files into place: see which are new above")
        try renameAll(temporaries, side: side, sideFailure: sideFailure, connection: connection, results: &results,
                      done: &done)
        StageStop.setMessage("stopped after every file was renamed into place: the server has the new set")
      }
    } catch {
      // Leave nothing behind but the previous files and what was already renamed.
      for (item, temporary) in temporaries where !done.contains(item.name) { try? sftp.remove(temporary) }
      throw error
    }
  }

  private func checkSize(_ path: String, _ size: UInt64?, sent: Int, removing sftp: SFTPClient?) throws {
    guard size == UInt64(sent) else {
      try? sftp?.remove(path)
      throw StageFailure(.protocolError, code: "E_SIZE",
                         "\(path) is \(size.map(String.init) ?? "missing") bytes on the server after \(sent) were sent")
    }
  }

  private func renameAll(_ temporaries: [(item: UploadItem, temporary: String)], side posix: PosixRename?,
                         sideFailure: String, connection: Connection,
                         results: inout [UploadResult], done: inout Set<String>) throws {
    let why = posix == nil
      ? "a second SFTP channel for posix-rename could not be opened (\(sideFailure))"
      : "the server does not offer posix-rename@openssh.com"
    let atomic = try posix?.isOffered() == true
    if !atomic {
      note("\(why): each old file is removed just before its new one is renamed in "
           + "(for an instant the file is missing, which Clever treats as no upload)")
    }
    if atomic {
      let outcomes = try posix!.renameAll(temporaries.map { ($0.temporary, destination.path(of: $0.item.name)) })
      for ((item, _), outcome) in zip(temporaries, outcomes) where outcome == nil {
        let index = results.firstIndex { $0.name == item.name }!
        results[index].status = "uploaded"
        done.insert(item.name)
      }
      if let failure = outcomes.compactMap({ $0 }).first { throw failure }
      return
    }
    for (item, temporary) in temporaries {
      let target = destination.path(of: item.name)
      if try connection.sftp.size(of: target) != nil { try connection.sftp.remove(target) }
      try connection.sftp.rename(temporary, to: target)
      let index = results.firstIndex { $0.name == item.name }!
      results[index].status = "uploaded"
      done.insert(item.name)
    }
  }

  private func verify(_ files: [(name: String, path: String)], sftp: SFTPClient, results: [UploadResult]) throws {
    for (name, path) in files {
      let expected = results.first { $0.name == name }!
      let remote = try sftp.sha256(of: path)
      guard remote.sha256 == expected.sha256, remote.bytes == expected.bytes else {
        if options.direct { try? sftp.remove(path) }
        throw StageFailure(.protocolError, code: "E_VERIFY",
                           "\(name) read back from the server (\(remote.bytes) bytes, sha256 \(remote.sha256)) differs from the file sent")
      }
    }
  }
}

func monotonicSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

private func pow2(_ n: Int) -> Double { Double(1 << min(n, 10)) }

private func format1(_ value: Double) -> String {
  let tenths = Int((value * 10).rounded())
  return "\(tenths / 10).\(tenths % 10)"
}
