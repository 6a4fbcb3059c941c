/// A real OpenSSH `sshd` on 127.0.0.1 for the SFTP tests, one per test, thrown away after.
///
///     let server = try TestSSHServer()            // or TestSSHServer(.init(authenticationMethods: "publickey"))
///     defer { server.cleanup() }
///     // connect to server.host:server.port as server.user, checking server.knownHostsPath
///     // (or server.hostKeyFingerprint); uploads land in server.homeDirectory.
///
/// Needs root: it creates the test user (`cleversftp`, shell nologin, a random password set
/// with chpasswd) and runs `/usr/sbin/sshd -D -e` with its own config, keys and log in a
/// fresh temporary folder, creating /run/sshd (privilege separation) if missing. Guard with
/// `.enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason)`.
///
/// What the config is: `UsePAM yes` with password, keyboard-interactive and public key all on
/// (narrow them with `authenticationMethods`), `internal-sftp` without a chroot, so a client
/// lands in the user's home; `AllowUsers` only the test user; `LogLevel VERBOSE` to `logPath`.
///
/// Processes: the listener runs in its own process group, but sshd puts every connection in
/// its own session (and the sftp child in yet another), so signalling the group alone would
/// orphan live sessions. `stop`, `killConnections` and `pause` therefore walk the listener's
/// descendants in /proc, freezing them with SIGSTOP until the tree stops growing before they
/// act on it.
///
/// Sharing: servers for the same user share its home, in this process and in others. The
/// home is emptied (everything not in /etc/skel) when the first server of a user starts and
/// when the last one is cleaned up, counted across test processes with locks in
/// /run/TestSSHServer, where the password is kept too (root-only) so that processes agree on
/// it. Suites running in parallel should use distinct file names or distinct users.
///
/// The temporary folder is 0711, not 0700: sshd reads `AuthorizedKeysFile` as the user, so
/// the user must be able to pass through it; private keys, config and log inside are 0600.
///
/// A test process that dies leaves its server running; the next `TestSSHServer` in another
/// process finds that folder (it carries the owner's pid), kills the server and removes it.
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

final class TestSSHServer: @unchecked Sendable {
  struct Configuration: Sendable {
    /// The login; created if missing. Must be a nologin account with uid >= 1000.
    var user = "cleversftp"
    /// sshd's `AuthenticationMethods`: "any", "publickey", "keyboard-interactive", "password",
    /// or a comma-separated chain such as "publickey,password".
    var authenticationMethods = "any"
    /// sshd's `MaxStartups` (its default is 10:30:100).
    var maxStartups = "10:30:100"
    /// More sshd_config lines, e.g. "LoginGraceTime 5" or "ClientAliveInterval 1".
    var extraConfig: [String] = []

    init(
      user: String = "cleversftp", authenticationMethods: String = "any", maxStartups: String = "10:30:100",
      extraConfig: [String] = []
    ) {
      self.user = user
      self.authenticationMethods = authenticationMethods
      self.maxStartups = maxStartups
      self.extraConfig = extraConfig
    }
  }

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  static let sshd = "/usr/sbin/sshd"
  static let sshKeygen = "/usr/bin/ssh-keygen"
  /// Root, and OpenSSH's server and key tool installed (`.ci/setup` installs them).
  static var isAvailable: Bool {
    getuid() == 0 && FileManager.default.isExecutableFile(atPath: sshd)
      && FileManager.default.isExecutableFile(atPath: sshKeygen)
  }
  static let unavailableReason: Comment =
    "needs root and OpenSSH's sshd (bash .ci/setup): the tests create a user and run a real sshd"

  let configuration: Configuration
  let host = "127.0.0.1"
  var port: Int = 0
  var user: String { configuration.user }
  /// The user's password (for password and keyboard-interactive logins). Never print it.
  let password: String
  /// Where uploads land: the user's home, the sftp session's starting folder.
  let homeDirectory: String
  let uid: uid_t
  let gid: gid_t
  /// The temporary folder holding keys, config, log and pid file.
  let directory: String
  var configPath: String { directory + "/sshd_config" }
  var logPath: String { directory + "/sshd.log" }
  var pidFilePath: String { directory + "/sshd.pid" }
  /// `[127.0.0.1]:PORT ssh-ed25519 ...` for the host key the server started with; it keeps
  /// naming that key after `changeHostKey()`.
  var knownHostsPath: String { directory + "/known_hosts" }
  /// The same entry hashed (`|1|salt|hash ssh-ed25519 ...`) by `ssh-keygen -H`.
  var hashedKnownHostsPath: String { directory + "/known_hosts.hashed" }
  var hostKeyPath: String { directory + "/ssh_host_ed25519_key" }
  var rsaHostKeyPath: String { directory + "/ssh_host_rsa_key" }
  /// An ed25519 client key (OpenSSH format) without a passphrase, in authorized_keys.
  var clientKeyPath: String { directory + "/client_ed25519" }
  /// An ed25519 client key protected by `passphrase`, in authorized_keys.
  var clientKeyWithPassphrasePath: String { directory + "/client_ed25519_passphrase" }
  let passphrase: String
  /// `SHA256:...` of the current ed25519 host key, as `ssh-keygen -lf` prints it.
  var hostKeyFingerprint: String { lock.withLock { currentFingerprint } }
  /// `SHA256:...` of the RSA host key, which the server offers too.
  private(set) var rsaHostKeyFingerprint = ""
  /// The known_hosts line for the current ed25519 host key.
  var knownHostsLine: String {
    lock.withLock { "[\(host)]:\(port) " + currentHostKeyLine }
  }

  let lock = NSRecursiveLock()
  private var currentFingerprint = ""
  private var currentHostKeyLine = ""
  private var listener: pid_t = 0
  private var paused = false
  private var cleanedUp = false

  /// Creates the keys and config and starts the server; throws with the log's tail if sshd
  /// does not listen within `startTimeout` seconds.
  init(_ configuration: Configuration = Configuration(), startTimeout: TimeInterval = 10) throws {
    guard getuid() == 0 else { throw Failure(description: Self.unavailableReason.description) }
    guard Self.isAvailable else { throw Failure(description: "TestSSHServer: \(Self.sshd) or \(Self.sshKeygen) missing") }
    _ = Self.sweepOnce
    self.configuration = configuration
    let account = try Self.acquireUser(configuration.user)
    (password, homeDirectory, uid, gid) = (account.password, account.home, account.uid, account.gid)
    passphrase = Self.randomSecret(20)
    do {
      directory = try Self.makeTemporaryDirectory()
    } catch {
      Self.releaseUser(configuration.user, home: account.home, uid: account.uid, gid: account.gid)
      throw error
    }
    do {
      try createKeys()
      // A free port can be taken between closing the probe and sshd's bind: try a few.
      var attempt = 0
      while true {
        attempt += 1
        port = try Self.freePort()
        try writeConfigAndKnownHosts()
        do {
          try start(timeout: startTimeout)
          break
        } catch let failure as Failure where attempt < 5 && failure.description.contains("Bind to port") {
          continue
        }
      }
    } catch {
      cleanup()
      throw error
    }
  }

  deinit { cleanup() }

  // MARK: Control

  /// Stops the server and every connection; idempotent. The files stay for `restart()`.
  func stop() {
    lock.withLock {
      guard listener > 0 else { return }
      let pid = listener
      kill(pid, SIGSTOP)  // no new connections while the tree is collected
      Self.killTree(below: pid)
      kill(-pid, SIGTERM)
      kill(-pid, SIGCONT)
      if !Self.reap(pid, within: 5) {
        kill(-pid, SIGKILL)
        _ = Self.reap(pid, within: 5)
      }
      listener = 0
      paused = false
    }
  }

  /// Stops the server, removes the temporary folder and (when no other server of the user is
  /// alive) what the tests left in the home. Idempotent; `deinit` calls it.
  func cleanup() {
    lock.withLock {
      stop()
      guard !cleanedUp else { return }
      cleanedUp = true
      if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
      Self.releaseUser(user, home: homeDirectory, uid: uid, gid: gid)
    }
  }

  /// Kills every connection's processes (the client sees the TCP connection drop); the
  /// listener keeps accepting.
  func killConnections() {
    lock.withLock {
      guard listener > 0 else { return }
      if !paused { kill(listener, SIGSTOP) }
      Self.killTree(below: listener)
      if !paused { kill(listener, SIGCONT) }
    }
  }

  /// Freezes the listener and every connection (SIGSTOP): connects complete in the kernel
  /// but get no banner, and open sessions stall mid-transfer.
  func pause() {
    lock.withLock {
      guard listener > 0, !paused else { return }
      kill(-listener, SIGSTOP)
      Self.freezeTree(below: listener)
      paused = true
    }
  }

  /// Undoes `pause()`.
  func resume() {
    lock.withLock {
      guard listener > 0, paused else { return }
      for pid in Self.descendants(of: listener) { kill(pid, SIGCONT) }
      kill(-listener, SIGCONT)
      paused = false
    }
  }

  /// Stops and starts again on the same port, with the same keys unless they were changed.
  func restart(timeout: TimeInterval = 10) throws {
    try lock.withLock {
      stop()
      try writeConfigAndKnownHosts(knownHosts: false)
      try start(timeout: timeout)
    }
  }

  /// Replaces the ed25519 host key and restarts: `knownHostsPath` and `hashedKnownHostsPath`
  /// still name the old key, so a checking client must refuse the server now.
  /// `hostKeyFingerprint` and `knownHostsLine` describe the new key.
  func changeHostKey() throws {
    try lock.withLock {
      try? FileManager.default.removeItem(atPath: hostKeyPath)
      try? FileManager.default.removeItem(atPath: hostKeyPath + ".pub")
      try Self.keygen(type: "ed25519", path: hostKeyPath, passphrase: "", comment: "test-host")
      try readHostKey()
      try restart()
    }
  }

  /// Makes `name` under the home owned by root, mode 0755: the user can list it but not
  /// write in it. Returns its path.
  @discardableResult
  func makeUnwritableDirectory(_ name: String) throws -> String {
    try makeDirectory(name, owner: 0, group: 0)
  }

  /// Makes `name` under the home owned by the user, mode 0755. Returns its path.
  @discardableResult
  func makeUserDirectory(_ name: String) throws -> String {
    try makeDirectory(name, owner: uid, group: gid)
  }

  // MARK: Inspection

  /// The listener's pid, nil when stopped.
  var listenerPID: pid_t? { lock.withLock { listener > 0 ? listener : nil } }
  var isPaused: Bool { lock.withLock { paused } }

  /// Live processes serving connections (sshd's per-connection, privilege-separated and
  /// sftp children).
  var connectionPIDs: [pid_t] {
    lock.withLock { listener > 0 ? Self.descendants(of: listener) : [] }
  }

  /// The last `lines` lines of sshd's log.
  func logTail(_ lines: Int = 30) -> String {
    let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
  }

  /// The options that make OpenSSH's `ssh`/`sftp` talk to this server strictly: no user or
  /// system config, only this known_hosts, only this key, never a prompt (BatchMode).
  func openSSHOptions(knownHosts: String? = nil, identity: String? = nil) -> [String] {
    [
      "-F", "/dev/null",
      "-o", "UserKnownHostsFile=\(knownHosts ?? knownHostsPath)",
      "-o", "GlobalKnownHostsFile=/dev/null",
      "-o", "StrictHostKeyChecking=yes",
      "-o", "UpdateHostKeys=no",
      "-o", "BatchMode=yes",
      "-o", "IdentitiesOnly=yes",
      "-o", "ConnectTimeout=5",
      "-i", identity ?? clientKeyPath,
    ]
  }

  // MARK: Setup

  private func createKeys() throws {
    try Self.keygen(type: "ed25519", path: hostKeyPath, passphrase: "", comment: "test-host")
    let rsa = try Self.rsaHostKeyPair.get()
    try Self.write(rsa.privateKey, to: rsaHostKeyPath, mode: 0o600)
    try Self.write(Data(rsa.publicKey.utf8), to: rsaHostKeyPath + ".pub", mode: 0o644)
    try Self.keygen(type: "ed25519", path: clientKeyPath, passphrase: "", comment: "test-client")
    try Self.keygen(type: "ed25519", path: clientKeyWithPassphrasePath, passphrase: passphrase, comment: "test-client-passphrase")
    let keysFolder = directory + "/authorized_keys"
    try FileManager.default.createDirectory(
      atPath: keysFolder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
    let authorized = try [clientKeyPath, clientKeyWithPassphrasePath]
      .map { try String(contentsOfFile: $0 + ".pub", encoding: .utf8) }.joined()
    try Self.write(authorized, to: keysFolder + "/" + user, mode: 0o644)
    try readHostKey()
    rsaHostKeyFingerprint = try Self.fingerprint(rsaHostKeyPath + ".pub")
  }

  /// An RSA key takes a quarter of a second to make: one per test process, copied into each
  /// server. (The ed25519 keys, which take milliseconds, are made for every server.)
  private static let rsaHostKeyPair: Result<(privateKey: Data, publicKey: String), any Error> = Result {
    let folder = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try keygen(type: "rsa", path: folder + "/rsa", passphrase: "", comment: "test-host")
    return (
      try Data(contentsOf: URL(fileURLWithPath: folder + "/rsa")),
      try String(contentsOfFile: folder + "/rsa.pub", encoding: .utf8)
    )
  }

  private func readHostKey() throws {
    let publicKey = try String(contentsOfFile: hostKeyPath + ".pub", encoding: .utf8)
    currentHostKeyLine = publicKey.split(separator: " ").prefix(2).joined(separator: " ")
    currentFingerprint = try Self.fingerprint(hostKeyPath + ".pub")
  }

  private func writeConfigAndKnownHosts(knownHosts: Bool = true) throws {
    let lines =
      [
        "ListenAddress \(host)",
        "Port \(port)",
        "HostKey \(hostKeyPath)",
        "HostKey \(rsaHostKeyPath)",
        "PidFile \(pidFilePath)",
        "AuthorizedKeysFile \(directory)/authorized_keys/%u",
        "StrictModes no",
        "UsePAM yes",
        "PasswordAuthentication yes",
        "KbdInteractiveAuthentication yes",
        "PubkeyAuthentication yes",
        "PermitRootLogin no",
        "AllowUsers \(user)",
        "AuthenticationMethods \(configuration.authenticationMethods)",
        "MaxStartups \(configuration.maxStartups)",
        "PrintMotd no",
        "Subsystem sftp internal-sftp",
        "LogLevel VERBOSE",
      ] + configuration.extraConfig
    try Self.write(lines.joined(separator: "\n") + "\n", to: configPath, mode: 0o600)
    guard knownHosts else { return }
    try Self.write("[\(host)]:\(port) \(currentHostKeyLine)\n", to: knownHostsPath, mode: 0o644)
    try? FileManager.default.removeItem(atPath: hashedKnownHostsPath)
    try FileManager.default.copyItem(atPath: knownHostsPath, toPath: hashedKnownHostsPath)
    _ = try Self.run(Self.sshKeygen, ["-q", "-H", "-f", hashedKnownHostsPath])
    try? FileManager.default.removeItem(atPath: hashedKnownHostsPath + ".old")
  }

  private func start(timeout: TimeInterval) throws {
    if !FileManager.default.fileExists(atPath: "/run/sshd") {  // privilege separation
      try FileManager.default.createDirectory(
        atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }
    let logStart = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
    let pid = try Self.spawn([Self.sshd, "-D", "-e", "-f", configPath], log: logPath)
    listener = pid
    let ready = "Server listening on \(host) port \(port)."
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if Self.reap(pid, within: 0) {
        listener = 0
        throw Failure(description: "sshd exited at start; its log ends:\n" + logTail())
      }
      if let log = FileManager.default.contents(atPath: logPath), log.count > logStart,
        String(decoding: log.dropFirst(logStart), as: UTF8.self).contains(ready)
      {
        return
      }
      usleep(20_000)
    }
    stop()
    throw Failure(description: "sshd did not listen on \(host):\(port) within \(timeout) s; its log ends:\n" + logTail())
  }

  private func makeDirectory(_ name: String, owner: uid_t, group: gid_t) throws -> String {
    let path = homeDirectory + "/" + name
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(
      atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    guard chown(path, owner, group) == 0 else { throw Failure(description: "chown \(path): errno \(errno)") }
    return path
  }
}
