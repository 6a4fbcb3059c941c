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

  /// One attempt, on one connection, with at most one SFTP channel open at a time (a
  /// server may serve the channels of a connection one after another):
  /// 1. a channel of our own (SFTPChannel) reads the server's extensions, removes what an
  ///    earlier run left under the temporary names (a server that does not overwrite on
  ///    open would refuse them), and asks the free space where statvfs is offered;
  /// 2. libssh2's SFTP channel writes the temporaries (and reads them back, --verify);
  /// 3. our channel again checks their sizes and renames them over the targets, all in
  ///    one round trip: posix-rename where offered (atomic), else a plain rename, which
  ///    replaces the target on most servers; only where the server refuses to replace is
  ///    the old file removed first, and that is said.
  private func uploadOnce(_ items: [UploadItem], results: inout [UploadResult], done: inout Set<String>) throws {
    StageStop.setMessage(
      options.direct
        ? "stopped while writing files in place (--direct): a file being written may be incomplete on the server"
        : "stopped before any file was renamed into place: the server keeps its previous files "
          + "(hidden temporaries .NAME.sftp-put may remain; the next upload removes them)")
    let ssh = try connectSession()
    let temporaries = options.direct ? [] : items.map { ($0, temporaryPath(of: $0.name)) }
    var written: [(item: UploadItem, temporary: String)] = []
    do {
      let server = try prepare(ssh, temporaries: temporaries.map(\.1), items: items)
      do {
        let sftp = try SFTPClient(ssh)
        for item in items {
          let index = results.firstIndex { $0.name == item.name }!
          let started = monotonicSeconds()
          let target = destination.path(of: item.name)
          let path = options.direct ? target : temporaryPath(of: item.name)
          if !options.direct { written.append((item, path)) }
          let sent: (bytes: Int, sha256: String)
          do {
            sent = try sftp.upload(local: item.local, to: path, progress: progress)
          } catch let failure as StageFailure {
            // Direct mode: a failed file is removed rather than left truncated.
            if options.direct, !TransferFailure.isTransient(failure) { try? sftp.remove(target) }
            throw server.explain(failure)
          }
          results[index].bytes = sent.bytes
          results[index].sha256 = sent.sha256
          results[index].seconds += monotonicSeconds() - started
          if options.direct {
            try checkSize(path, sftp.size(of: path), sent: sent.bytes)
            results[index].status = "uploaded"
            done.insert(item.name)
          }
        }
        if options.verify {
          let files = items.map { ($0.name, options.direct ? destination.path(of: $0.name) : temporaryPath(of: $0.name)) }
          if server.objectStore {
            // A read-back would make such a server store each object again: the listing's
            // sizes are the check there.
            try verifyListing(files, sftp: sftp, results: results)
            note("--verify: the server keeps its files in an object store, where reading them back rewrites them: "
                 + "checked the sizes of a listing instead")
          } else {
            // Read back before the renames: a file that did not arrive intact never
            // replaces the previous one.
            try verify(files, sftp: sftp, results: results)
          }
        }
      }  // libssh2's channel is shut down here, before ours opens
      if !options.direct {
        let channel = try SFTPChannel(ssh)
        defer { channel.close() }
        let sizes = try channel.batch(written.map { .stat($0.temporary) })
        for ((item, path), size) in zip(written, sizes) {
          try checkSize(path, size.ok ? size.size : nil, sent: results.first { $0.name == item.name }!.bytes)
        }
        // A stop (SIGTERM, clever-sync gone) waits for the renames and the records that
        // report them (the command releases it): never half a set, never an untold one.
        StageStop.hold()
        StageStop.setMessage("stopped while renaming files into place: see which are new above")
        try renameAll(written, on: channel, results: &results, done: &done)
        StageStop.setMessage("stopped after every file was renamed into place: the server has the new set")
      }
    } catch let failure as StageFailure {
      // Over a dead connection every request would wait out the timeout: leave the
      // temporaries, which the next upload removes first.
      if TransferFailure.isTransient(failure) || written.isEmpty { throw failure }
      let left = written.filter { !done.contains($0.item.name) }.map(\.temporary)
      if !left.isEmpty, let channel = try? SFTPChannel(ssh) {
        _ = try? channel.batch(left.map { .remove($0) })
        channel.close()
      }
      throw failure
    }
  }

  /// What the server said of itself before the upload.
  struct ServerTraits {
    /// Bytes free to the account (statvfs), where the server offers it.
    var freeBytes: UInt64?
    /// It opens a directory that does not exist: an object store (Clever's keeps files
    /// in S3), where closing a handle opened even to read may write the object again.
    var objectStore = false

    /// A generic failure (SFTP status 4, all an SFTP v3 server can say) while writing:
    /// most often a full disk or a quota.
    func explain(_ failure: StageFailure) -> StageFailure {
      guard failure.code == "E_SFTP", failure.message.hasSuffix("SFTP status 4") else { return failure }
      let free = freeBytes.map { " (before the upload the server reported \($0) bytes free)" } ?? ""
      return StageFailure(.cannotCreate, code: "E_REMOTE_SPACE",
                          failure.message + ", a generic failure while writing: a full disk or a quota is the likely "
                            + "cause\(free)")
    }
  }

  /// Step 1 of an attempt (see uploadOnce), on a channel closed before the writes begin.
  private func prepare(_ ssh: SSHSession, temporaries: [String], items: [UploadItem]) throws -> ServerTraits {
    let channel = try SFTPChannel(ssh)
    defer { channel.close() }
    // Answers ignored: "no such file" is the usual one, and a real problem shows when
    // the temporary is opened.
    _ = try channel.batch(temporaries.map { .remove($0) })
    var traits = ServerTraits()
    if options.verify {
      let nowhere = destination.path(of: ".sftp-put-no-such-directory-\(getpid())")
      if let handle = try channel.batch([.openDirectory(nowhere)]).first?.handle {
        traits.objectStore = true
        _ = try channel.batch([.close(handle: handle)])
      }
    }
    if channel.offers(SFTPChannel.statvfs) {
      let folder = destination.directory.isEmpty ? "." : destination.directory
      traits.freeBytes = try channel.batch([.statvfs(folder)]).first?.freeBytes
      let needed = items.reduce(UInt64(0)) { $0 + UInt64(max(0, FileSize.of($1.local))) }
      if let free = traits.freeBytes, free < needed {
        throw StageFailure(.cannotCreate, code: "E_REMOTE_SPACE",
                           "\(folder) has \(free) bytes free on the server, and the files need \(needed): nothing was sent")
      }
    }
    return traits
  }

  private func checkSize(_ path: String, _ size: UInt64?, sent: Int) throws {
    guard size == UInt64(sent) else {
      throw StageFailure(.protocolError, code: "E_SIZE",
                         "\(path) is \(size.map(String.init) ?? "missing") bytes on the server after \(sent) were sent")
    }
  }

  /// Step 3 of an attempt: every temporary renamed over its target in one round trip
  /// (students.csv, given last, goes last).
  private func renameAll(_ temporaries: [(item: UploadItem, temporary: String)], on channel: SFTPChannel,
                         results: inout [UploadResult], done: inout Set<String>) throws {
    let pairs = temporaries.map { (item: $0.item, from: $0.temporary, to: destination.path(of: $0.item.name)) }
    let atomic = channel.offers(SFTPChannel.posixRename)
    let first = try channel.batch(pairs.map { atomic ? .posixRename(from: $0.from, to: $0.to) : .rename(from: $0.from, to: $0.to) })
    var refused: [Int] = []
    for (index, reply) in first.enumerated() {
      if reply.ok { mark(pairs[index].item.name, results: &results, done: &done) } else { refused.append(index) }
    }
    guard !refused.isEmpty else { return }
    // The server would not replace these targets (a plain rename on OpenSSH, or a server
    // that does not overwrite): the old file goes first, then the new one is renamed in.
    let names = refused.map { pairs[$0].item.name }.joined(separator: ", ")
    note("the server did not rename over the existing \(names)\(atomic ? "" : " (it offers no posix-rename)"): "
         + "each old file is removed just before its new one is renamed in, so for an instant it is missing")
    let second = try channel.batch(refused.flatMap { index in
      [SFTPChannel.Request.remove(pairs[index].to), .rename(from: pairs[index].from, to: pairs[index].to)]
    })
    var failure: StageFailure?
    for (position, index) in refused.enumerated() {
      let (removed, renamed) = (second[2 * position], second[2 * position + 1])
      let name = pairs[index].item.name
      if renamed.ok {
        mark(name, results: &results, done: &done)
        continue
      }
      let why = TransferFailure.sftpStatus(Int32(bitPattern: renamed.status), "rename \(pairs[index].from) to \(pairs[index].to)")
      let resultIndex = results.firstIndex { $0.name == name }!
      if removed.ok {
        // Said as it is: the old file is gone and the new one is not in its place.
        results[resultIndex].targetRemoved = true
      }
      failure = failure ?? why
    }
    if let failure { throw failure }
  }

  private func mark(_ name: String, results: inout [UploadResult], done: inout Set<String>) {
    let index = results.firstIndex { $0.name == name }!
    results[index].status = "uploaded"
    done.insert(name)
  }

  /// --verify on an object store: every file in the directory's listing, at its size.
  private func verifyListing(_ files: [(name: String, path: String)], sftp: SFTPClient, results: [UploadResult]) throws {
    let listed = try sftp.listSizes(destination.directory)
    for (name, path) in files {
      let expected = results.first { $0.name == name }!.bytes
      let base = String(path.split(separator: "/").last ?? Substring(path))
      guard listed[base] == UInt64(expected) else {
        throw StageFailure(.protocolError, code: "E_VERIFY",
                           "\(path) is listed at \(listed[base].map(String.init) ?? "no") bytes, not the \(expected) sent")
      }
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
