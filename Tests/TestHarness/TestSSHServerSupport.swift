import Foundation
import Testing
#if canImport(Glibc)
  import Glibc
#endif

/// The test user, the processes and the small tools of TestSSHServer.
extension TestSSHServer {
  // MARK: The test user

  struct Account {
    let password: String, home: String, uid: uid_t, gid: gid_t
  }
  /// Root-only state shared by test processes: `USER.password` (so that one process does
  /// not change the password under another's feet), `USER.setup` (a lock serializing user
  /// setup and home clearing) and `USER.live` (a shared lock held while a process has a
  /// server of USER alive, so that nobody empties the home under it).
  static let stateDirectory = "/run/TestSSHServer"
  private static let usersLock = NSLock()
  nonisolated(unsafe) static var passwords: [String: String] = [:]
  nonisolated(unsafe) static var liveServers: [String: Int] = [:]
  nonisolated(unsafe) static var liveLocks: [String: Int32] = [:]

  /// Creates the user if missing, gives it a password (the one other test processes use, if
  /// any), empties its home when no server of this user is alive in any process.
  static func acquireUser(_ name: String) throws -> Account {
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

  static func releaseUser(_ name: String, home: String, uid: uid_t, gid: gid_t) {
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
  static func spawn(_ arguments: [String], log: String) throws -> pid_t {
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
  static func reap(_ pid: pid_t, within seconds: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid || (result == -1 && errno == ECHILD) { return true }
      if seconds > 0 { usleep(10_000) }
    } while Date() < deadline
    return false
  }

  struct ProcessEntry {
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

  static func descendants(of root: pid_t, in table: [ProcessEntry]) -> [pid_t] {
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
  static func freezeTree(below root: pid_t) -> Set<pid_t> {
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
  static func killTree(below root: pid_t) {
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
  static let sweepOnce: Void = {
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

  /// `TMPDIR/<prefix>.<our pid>.XXXXXX`, mode 0711.
  static func makeTemporaryDirectory(prefix: String = folderPrefix) throws -> String {
    let temp = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
    var template = Array("\(temp)\(prefix).\(getpid()).XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp: errno \(errno)") }
    let path = String(cString: made)
    guard chmod(path, 0o711) == 0 else { throw Failure(description: "chmod \(path): errno \(errno)") }
    return path
  }

  /// A free TCP port on 127.0.0.1: bind port 0, read it back, close.
  static func freePort() throws -> Int {
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

  static func keygen(type: String, path: String, passphrase: String, comment: String) throws {
    var arguments = ["-q", "-t", type, "-N", passphrase, "-C", comment, "-f", path]
    if type == "rsa" { arguments += ["-b", "2048"] }
    _ = try run(sshKeygen, arguments)
  }

  static func fingerprint(_ publicKeyPath: String) throws -> String {
    // "256 SHA256:... comment (ED25519)"
    let output = try run(sshKeygen, ["-l", "-E", "sha256", "-f", publicKeyPath])
    guard let field = output.split(separator: " ").dropFirst().first, field.hasPrefix("SHA256:") else {
      throw Failure(description: "unexpected ssh-keygen -l output: \(output)")
    }
    return String(field)
  }

  static func write(_ text: String, to path: String, mode: mode_t) throws {
    try write(Data(text.utf8), to: path, mode: mode)
  }

  /// Writes `data` to a file that never has a wider mode than `mode`, even for a moment.
  static func write(_ data: Data, to path: String, mode: mode_t) throws {
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
  static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
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
