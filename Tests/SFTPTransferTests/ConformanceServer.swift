import Foundation
import Secrets

@testable import SFTPTransfer
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// One of the SFTP servers a district meets, on loopback, for the conformance cases:
/// OpenSSH's sshd (TestSSHServer), ProFTPD with mod_sftp as Debian ships it and with
/// `SFTPExtensions -posixRename` (Servers/proftpd-sftp.sh), and a server with the
/// semantics of Clever's own (Servers/clever-sftp.py, see Servers/README.md).
final class ConformanceServer: @unchecked Sendable {
  enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
    case openSSH = "OpenSSH"
    case proftpd = "ProFTPD"
    case proftpdWithoutPosixRename = "ProFTPD -posixRename"
    case cleverLike = "Clever-like"
    var description: String { rawValue }
  }

  /// How the server's storage is set up for a case: `full`, a small tmpfs under the
  /// files (the Clever-like server's: under the uploads waiting for their CLOSE, so a
  /// WRITE fails); `quota`, the Clever-like server's bucket limit (a CLOSE fails).
  enum Storage: Sendable { case plain, full(kilobytes: Int), quota(kilobytes: Int), readOnly }

  let kind: Kind
  let host = "127.0.0.1"
  private(set) var port = 0
  let user: String
  let password: String
  /// Where the uploaded files land, on this machine.
  let root: String
  /// The destination's directory: OpenSSH's is the folder's absolute path; the others
  /// serve the folder as the login directory.
  let directory: String
  let knownHostsPath: String
  let log: String
  private var sshd: TestSSHServer?
  private var launcher: Process?
  private let folder: String
  private var mountPoint: String?

  static let servers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Servers").path

  static var isAvailable: Bool {
    getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/proftpd")
      && (try? Shell.run("/usr/bin/python3 -c 'import paramiko'"))?.status == 0
  }

  /// `extra`: more options of the Clever-like server (`--refuse-sftp-after 1`).
  init(_ kind: Kind, storage: Storage = .plain, extra: [String] = []) throws {
    self.kind = kind
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    log = folder + "/server.log"
    if kind == .openSSH {
      let server = try TestSSHServer(.init(user: "cleversftp"))
      sshd = server
      (port, user, password, knownHostsPath) = (server.port, server.user, server.password, server.knownHostsPath)
      root = try server.makeUserDirectory("conformance")
      directory = root
      try prepare(storage, owner: root)
      return
    }
    user = "tester"
    password = "conformance-\(UInt32.random(in: 0...UInt32.max))"
    root = folder + "/root"
    directory = ""
    knownHostsPath = folder + "/known_hosts"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try prepare(storage, owner: root)
    try password.write(toFile: folder + "/password", atomically: true, encoding: .utf8)
    chmod(folder + "/password", 0o600)
    let key = folder + "/host_ed25519"
    guard (try Shell.run("ssh-keygen -q -t ed25519 -N '' -C conformance -f '\(key)'")).status == 0 else {
      throw TestSSHServer.Failure(description: "ssh-keygen failed")
    }
    var arguments = ["--port", "0", "--root", root, "--user", user, "--password-file", folder + "/password",
                     "--host-key", key, "--log", log]
    let script: String
    switch kind {
    case .cleverLike:
      script = Self.servers + "/clever-sftp.py"
      arguments = ["/usr/bin/python3", script] + arguments  // Debian's, with python3-paramiko
      if case .quota(let kilobytes) = storage { arguments += ["--quota", String(kilobytes * 1024)] }
      if let mountPoint { arguments += ["--staging", mountPoint] }
      if case .readOnly = storage { arguments.append("--read-only") }
      arguments += extra
    default:
      script = Self.servers + "/proftpd-sftp.sh"
      arguments = ["bash", script] + arguments
      if kind == .proftpdWithoutPosixRename { arguments.append("--no-posix-rename") }
    }
    // The launcher leads a process group of its own (so the whole server can be frozen),
    // with no signal blocked (a child of the test process may inherit a blocked SIGTERM).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", """
      import os, signal, sys
      signal.pthread_sigmask(signal.SIG_SETMASK, [])
      os.setpgid(0, 0)
      os.execvp(sys.argv[1], sys.argv[1:])
      """] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    launcher = process
    let line = output.fileHandleForReading.readLine(timeout: 20)
    guard let line, line.hasPrefix("port="), let port = Int(line.dropFirst(5)) else {
      stop()
      throw TestSSHServer.Failure(description: "\(kind) did not start: \(line ?? "no port line")")
    }
    self.port = port
    let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
      .joined(separator: " ")
    try "[127.0.0.1]:\(port) \(publicKey)\n".write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
  }

  deinit { stop() }

  /// A small tmpfs or a read-only folder under the files, as the case needs.
  private func prepare(_ storage: Storage, owner path: String) throws {
    var info = stat()
    stat(path, &info)
    switch storage {
    case .plain: return
    case .full(let kilobytes):
      let point = kind == .cleverLike ? folder + "/staging" : path
      try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
      let result = try Shell.run(
        "mount -t tmpfs -o size=\(kilobytes)k,uid=\(info.st_uid),gid=\(info.st_gid),mode=0755 tmpfs '\(point)'")
      guard result.status == 0 else { throw TestSSHServer.Failure(description: "mount: \(result.stderr)") }
      mountPoint = point
    case .quota:
      precondition(kind == .cleverLike, "a bucket quota is the Clever-like server's")
    case .readOnly:
      guard kind != .cleverLike else { return }  // --read-only
    }
  }

  /// Makes the folder read-only now (after a first upload): the account cannot write in it.
  func makeReadOnly() {
    if kind == .openSSH || kind == .proftpd || kind == .proftpdWithoutPosixRename { chmod(root, 0o555) }
  }

  /// Freezes the server and its sessions (SIGSTOP): connections stall.
  func pause() {
    if let sshd { sshd.pause() } else if let launcher { kill(-launcher.processIdentifier, SIGSTOP) }
  }

  func resume() {
    if let sshd { sshd.resume() } else if let launcher { kill(-launcher.processIdentifier, SIGCONT) }
  }

  /// Stops the server and every session: a client sees its connection drop.
  func stop() {
    if let sshd {
      sshd.stop()
    } else if let launcher, launcher.isRunning {
      let group = launcher.processIdentifier
      kill(-group, SIGCONT)
      kill(-group, SIGTERM)
      let deadline = Date().addingTimeInterval(5)
      while launcher.isRunning, Date() < deadline { usleep(20_000) }
      if launcher.isRunning { kill(-group, SIGKILL) }
      launcher.waitUntilExit()
    }
  }

  func cleanup() {
    stop()
    sshd?.cleanup()
    if let mountPoint { _ = try? Shell.run("umount -l '\(mountPoint)'") }
    chmod(root, 0o755)
    try? FileManager.default.removeItem(atPath: folder)
  }

  /// The files in the server's folder, by name (hidden ones too).
  func files() -> [String: Data] {
    var result: [String: Data] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
      result[name] = FileManager.default.contents(atPath: root + "/" + name)
    }
    return result
  }
}

extension UploadOptions {
  /// Password login to a test server, short timeouts, one attempt; `change` adjusts.
  static func forTests(
    user: String, password: String, knownHosts: String, _ change: (inout UploadOptions) -> Void = { _ in }
  ) -> UploadOptions {
    var options = UploadOptions(user: user, hostKeyPolicy: .knownHosts(path: knownHosts, acceptNew: false))
    options.password = Secret(password)
    options.connectTimeout = 5
    options.inactivityTimeout = 10
    options.attempts = 1
    change(&options)
    return options
  }
}

extension FileHandle {
  /// One line, or nil at end of file or after `timeout` seconds.
  func readLine(timeout: Double) -> String? {
    var bytes: [UInt8] = []
    let deadline = Date().addingTimeInterval(timeout)
    var pollfd = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
    while Date() < deadline {
      guard poll(&pollfd, 1, 100) > 0 else { continue }
      var byte: UInt8 = 0
      guard Glibc.read(fileDescriptor, &byte, 1) == 1 else { return nil }
      if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
      bytes.append(byte)
    }
    return nil
  }
}
