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
  private(set) var port: Int = 0
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

  private let lock = NSRecursiveLock()
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

  // MARK: The test user

  private struct Account {
    let password: String, home: String, uid: uid_t, gid: gid_t
  }
  /// Root-only state shared by test processes: `USER.password` (so that one process does
  /// not change the password under another's feet), `USER.setup` (a lock serializing user
  /// setup and home clearing) and `USER.live` (a shared lock held while a process has a
  /// server of USER alive, so that nobody empties the home under it).
  static let stateDirectory = "/run/TestSSHServer"
  private static let usersLock = NSLock()
  nonisolated(unsafe) private static var passwords: [String: String] = [:]
  nonisolated(unsafe) private static var liveServers: [String: Int] = [:]
  nonisolated(unsafe) private static var liveLocks: [String: Int32] = [:]

  /// Creates the user if missing, gives it a password (the one other test processes use, if
  /// any), empties its home when no server of this user is alive in any process.
  private static func acquireUser(_ name: String) throws -> Account {
    try usersLock.withLock {
      let setup = try lockFile(name + ".setup", LOCK_EX)
      defer { close(setup) }
      var created = false
      if getpwnam(name) == nil {
        _ = try run("/usr/sbin/useradd", ["-m", "-s", "/usr/sbin/nologin", name])
        created = true
      }
      guard let entry = getpwnam(name) else { throw Failure(description: "user \(name) missing after useradd") }
      let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
      let home = String(cString: entry.pointee.pw_dir), shell = String(cString: entry.pointee.pw_shell)
      // Never empty the home of, or reset the password of, a real account.
      guard name != "root", uid >= 1000, ["/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false"].contains(shell),
        home.count > 1
      else {
        throw Failure(description: "user \(name) is not a test account (uid \(uid), shell \(shell)); pick another name")
      }
      if !FileManager.default.fileExists(atPath: home) {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        _ = chown(home, uid, gid)
      }
      let passwordFile = "\(stateDirectory)/\(name).password"
      let stored = created ? nil : (try? String(contentsOfFile: passwordFile, encoding: .utf8)).flatMap { $0.isEmpty ? nil : $0 }
      let password: String
      if let known = passwords[name] ?? stored {
        password = known
      } else {
        password = randomSecret(24)
        _ = try run("/usr/sbin/chpasswd", [], input: "\(name):\(password)\n")
        try write(password, to: passwordFile, mode: 0o600)
      }
      passwords[name] = password
      if liveServers[name, default: 0] == 0 {
        let live = try lockFile(name + ".live", nil)
        if flock(live, LOCK_EX | LOCK_NB) == 0 { clearHome(home, uid: uid, gid: gid) }
        flock(live, LOCK_SH)
        liveLocks[name] = live
      }
      liveServers[name, default: 0] += 1
      return Account(password: password, home: home, uid: uid, gid: gid)
    }
  }

  private static func releaseUser(_ name: String, home: String, uid: uid_t, gid: gid_t) {
    usersLock.withLock {
      let setup = try? lockFile(name + ".setup", LOCK_EX)
      defer { setup.map { _ = close($0) } }
      liveServers[name, default: 1] -= 1
      guard liveServers[name, default: 0] <= 0 else { return }
      liveServers[name] = nil
      if let live = liveLocks.removeValue(forKey: name) {
        // Not atomic (Linux drops the shared lock first), but the setup lock is held.
        if flock(live, LOCK_EX | LOCK_NB) == 0 { clearHome(home, uid: uid, gid: gid) }
        close(live)
      }
    }
  }

  /// Opens (creating) a file in `stateDirectory`, locked with `operation` if given.
  private static func lockFile(_ name: String, _ operation: Int32?) throws -> Int32 {
    mkdir(stateDirectory, 0o700)
    let fd = open("\(stateDirectory)/\(name)", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw Failure(description: "open \(stateDirectory)/\(name): errno \(errno)") }
    if let operation { flock(fd, operation) }
    return fd
  }

  /// Removes everything in `home` that /etc/skel does not put there; gives the home back to
  /// the user, mode 0755, in case a test changed it.
  private static func clearHome(_ home: String, uid: uid_t, gid: gid_t) {
    let skeleton = Set((try? FileManager.default.contentsOfDirectory(atPath: "/etc/skel")) ?? [])
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: home)) ?? [] where !skeleton.contains(entry) {
      try? FileManager.default.removeItem(atPath: home + "/" + entry)
    }
    _ = chown(home, uid, gid)
    _ = chmod(home, 0o755)
  }

  // MARK: Processes

  /// Spawns `arguments` in a new process group, stdin /dev/null, stdout and stderr appended
  /// to `log`, no other descriptors, default signal dispositions and an empty signal mask.
  private static func spawn(_ arguments: [String], log: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_APPEND | O_CREAT, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // glibc 2.34+; Swift's Glibc module does not export it. Without it sshd would inherit
    // the test runner's descriptors (and could hold its pipes open).
    if let closeFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
      typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
      _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    posix_spawnattr_setpgroup(&attributes, 0)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    var defaults = sigset_t()
    sigfillset(&defaults)  // the test runner ignores SIGPIPE; sshd must not inherit that
    posix_spawnattr_setsigdefault(&attributes, &defaults)

    let argv = arguments.map { strdup($0) } + [nil]
    let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard status == 0 else { throw Failure(description: "posix_spawn \(arguments[0]): \(String(cString: strerror(status)))") }
    return pid
  }

  /// Waits for our child `pid` to exit, up to `seconds`; true once it is reaped (or gone).
  private static func reap(_ pid: pid_t, within seconds: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid || (result == -1 && errno == ECHILD) { return true }
      if seconds > 0 { usleep(10_000) }
    } while Date() < deadline
    return false
  }

  private struct ProcessEntry {
    let pid: pid_t, parent: pid_t, state: Character
  }

  /// Every process in /proc with its parent and state.
  private static func processTable() -> [ProcessEntry] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return names.compactMap { name in
      guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      // "pid (comm) S ppid pgrp ..."; comm may hold spaces and parentheses.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
      return ProcessEntry(pid: pid, parent: parent, state: state)
    }
  }

  /// Live (not zombie) descendants of `root`, parents before children.
  static func descendants(of root: pid_t) -> [pid_t] {
    descendants(of: root, in: processTable())
  }

  private static func descendants(of root: pid_t, in table: [ProcessEntry]) -> [pid_t] {
    let table = table.filter { $0.state != "Z" && $0.state != "X" }
    let children = Dictionary(grouping: table, by: \.parent)
    var result: [pid_t] = []
    var queue = [root]
    while let next = queue.popLast() {
      for child in children[next] ?? [] where !result.contains(child.pid) {
        result.append(child.pid)
        queue.append(child.pid)
      }
    }
    return result
  }

  /// SIGSTOPs the descendants of `root` (itself already sent SIGSTOP) until the tree stops
  /// growing and every one of them really is stopped: SIGSTOP is asynchronous, and a process
  /// that is not yet stopped may still fork. Nothing escapes to init when its parent dies
  /// later. Gives up after 2 s. Returns the descendants.
  @discardableResult
  private static func freezeTree(below root: pid_t) -> Set<pid_t> {
    var frozen = Set<pid_t>()
    let deadline = Date().addingTimeInterval(2)
    while true {
      let table = processTable()
      let tree = Set(descendants(of: root, in: table))
      let fresh = tree.subtracting(frozen)
      for pid in fresh { kill(pid, SIGSTOP) }
      frozen.formUnion(fresh)
      let stopped = table.filter { tree.contains($0.pid) || $0.pid == root }.allSatisfy { "Tt".contains($0.state) }
      if (fresh.isEmpty && stopped) || Date() > deadline { return frozen }
      usleep(1000)
    }
  }

  /// Freezes, then SIGKILLs, every descendant of `root`; waits (up to 5 s) until they are
  /// dead or zombies.
  private static func killTree(below root: pid_t) {
    let doomed = freezeTree(below: root)
    for pid in doomed { kill(pid, SIGKILL) }
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
      let alive = Set(processTable().filter { $0.state != "Z" && $0.state != "X" }.map(\.pid))
      if alive.isDisjoint(with: doomed) { return }
      usleep(10_000)
    }
  }

  /// Kills servers whose test process died without cleaning up, and removes their folders.
  private static let sweepOnce: Void = {
    let temp = NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory()
    for name in (try? FileManager.default.contentsOfDirectory(atPath: temp)) ?? [] where name.hasPrefix(folderPrefix) {
      let parts = name.split(separator: ".")
      guard parts.count == 3, let owner = pid_t(parts[1]), owner != getpid(),
        kill(owner, 0) == -1 && errno == ESRCH
      else { continue }
      let folder = temp + "/" + name
      if let text = try? String(contentsOfFile: folder + "/sshd.pid", encoding: .utf8),
        let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
        let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
        String(decoding: command, as: UTF8.self).contains(folder)
      {
        kill(pid, SIGSTOP)
        killTree(below: pid)
        kill(pid, SIGKILL)
      }
      try? FileManager.default.removeItem(atPath: folder)
    }
  }()

  // MARK: Small tools

  private static let folderPrefix = "TestSSHServer"

  /// `TMPDIR/TestSSHServer.<our pid>.XXXXXX`, mode 0711.
  private static func makeTemporaryDirectory() throws -> String {
    let temp = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
    var template = Array("\(temp)\(folderPrefix).\(getpid()).XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp: errno \(errno)") }
    let path = String(cString: made)
    guard chmod(path, 0o711) == 0 else { throw Failure(description: "chmod \(path): errno \(errno)") }
    return path
  }

  /// A free TCP port on 127.0.0.1: bind port 0, read it back, close.
  private static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else { throw Failure(description: "bind 127.0.0.1:0: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  private static func keygen(type: String, path: String, passphrase: String, comment: String) throws {
    var arguments = ["-q", "-t", type, "-N", passphrase, "-C", comment, "-f", path]
    if type == "rsa" { arguments += ["-b", "2048"] }
    _ = try run(sshKeygen, arguments)
  }

  private static func fingerprint(_ publicKeyPath: String) throws -> String {
    // "256 SHA256:... comment (ED25519)"
    let output = try run(sshKeygen, ["-l", "-E", "sha256", "-f", publicKeyPath])
    guard let field = output.split(separator: " ").dropFirst().first, field.hasPrefix("SHA256:") else {
      throw Failure(description: "unexpected ssh-keygen -l output: \(output)")
    }
    return String(field)
  }

  private static func write(_ text: String, to path: String, mode: mode_t) throws {
    try write(Data(text.utf8), to: path, mode: mode)
  }

  /// Writes `data` to a file that never has a wider mode than `mode`, even for a moment.
  private static func write(_ data: Data, to path: String, mode: mode_t) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw Failure(description: "open \(path): errno \(errno)") }
    defer { close(fd) }
    guard fchmod(fd, mode) == 0 else { throw Failure(description: "chmod \(path): errno \(errno)") }
    let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    guard written == data.count else { throw Failure(description: "write \(path): errno \(errno)") }
  }

  /// Letters and digits: safe in chpasswd's `user:password` line and in any prompt.
  static func randomSecret(_ count: Int) -> String {
    let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
  }

  /// Runs a setup tool to completion; its output (never `input`, which may hold a secret)
  /// goes into the error when it fails.
  private static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try? stdin.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      let name = URL(fileURLWithPath: executable).lastPathComponent
      throw Failure(description: "\(name) \(arguments.first ?? "") failed (\(process.terminationStatus)): \(text)")
    }
    return text
  }
}
