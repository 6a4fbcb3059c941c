import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// A real PostgreSQL server for the tests, one per test process, started on first use:
/// Debian's initdb into a temporary directory, pg_ctl on a free loopback port, its socket in
/// that directory. Clients come over TCP with the superuser's random password (what
/// clever-sync does); the harness itself uses the socket, where it is trusted. Stopped and
/// removed when the process exits; one left by a crashed run is stopped by the next.
///
/// initdb and the server refuse to run as root: as root (CI), they run as the `postgres`
/// user that Debian's package creates, in a directory it owns.
public final class PostgresServer: Sendable {
  public let port: Int
  public let user = "clever"
  public let password: String
  let directory: String
  let binaries: String

  private static let lock = NSLock()
  nonisolated(unsafe) private static var started: PostgresServer?

  /// The server of this process, started on the first call.
  public static func shared() throws -> PostgresServer {
    try lock.withLock {
      if let started { return started }
      let server = try PostgresServer()
      started = server
      atexit { PostgresServer.started?.stop() }
      return server
    }
  }

  /// A server of its own, for a test that stops or restarts it (the shared one serves
  /// tests running in parallel). Stopped when the process exits.
  public static func dedicated() throws -> PostgresServer {
    let server = try PostgresServer()
    lock.withLock { dedicatedServers.append(server) }
    atexit { PostgresServer.lock.withLock { for server in PostgresServer.dedicatedServers { server.stop() } } }
    return server
  }

  nonisolated(unsafe) private static var dedicatedServers: [PostgresServer] = []

  /// Restarts the server on the same port, ending every connection (`-m fast`); returns
  /// once it accepts connections again. `down` seconds pass in between.
  public func restart(down: Double = 0) throws {
    try Self.pgCtl(binaries, ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
    if down > 0 { Thread.sleep(forTimeInterval: down) }
    try Self.pgCtl(binaries, [
      "-D", directory + "/data", "-l", directory + "/server.log", "-o", Self.options(port, directory), "-w", "start",
    ])
  }

  /// Stops (SIGSTOP) or resumes (SIGCONT) the server and every process it started: its
  /// connections stay open and nothing answers, as when its machine stops.
  public func freeze(_ frozen: Bool) throws {
    let pidFile = try String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8)
    guard let postmaster = pid_t(pidFile.split(separator: "\n").first ?? "") else { return }
    let children = (try? TestSSHServer.run("/usr/bin/pgrep", ["-P", "\(postmaster)"])) ?? ""
    for pid in [postmaster] + children.split(separator: "\n").compactMap({ pid_t($0) }) {
      kill(pid, frozen ? SIGSTOP : SIGCONT)
    }
  }

  /// Loopback only, its socket in its folder, no fsync (a test's data), room for fleets.
  static func options(_ port: Int, _ directory: String) -> String {
    "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
  }

  private init() throws {
    binaries = try Self.findBinaries()
    Self.stopLeftovers()
    directory = try TestSSHServer.makeTemporaryDirectory(prefix: Self.folderPrefix)
    password = TestSSHServer.randomSecret(24)
    let owner = getuid() == 0 ? try Self.postgresAccount() : nil
    if let owner { try Self.chown(directory, owner) }
    try TestSSHServer.write(password + "\n", to: directory + "/pwfile", mode: 0o600)
    if let owner { try Self.chown(directory + "/pwfile", owner) }
    _ = try Self.runAsServerUser(
      binaries + "/initdb",
      [
        "-D", directory + "/data", "-U", user, "--pwfile", directory + "/pwfile", "--auth-host=scram-sha-256",
        "--auth-local=trust", "--no-sync", "-E", "UTF8", "--locale=C",
      ])
    unlink(directory + "/pwfile")
    var lastError: (any Error)?
    // A free port can be taken between the check and the server's bind: try a few.
    for _ in 0..<5 {
      let port = try TestSSHServer.freePort()
      do {
        try Self.pgCtl(binaries, [
          "-D", directory + "/data", "-l", directory + "/server.log", "-o", Self.options(port, directory), "-w", "start",
        ])
        if FileManager.default.fileExists(atPath: "\(directory)/.s.PGSQL.\(port)") {
          self.port = port
          return
        }
      } catch {
        lastError = error
      }
    }
    let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
    throw TestSSHServer.Failure(description: "PostgreSQL did not start: \(lastError.map { "\($0)" } ?? "")\n\(log)")
  }

  /// A new, empty database, and its URL for clever-sync (with the password).
  public func makeDatabase() throws -> (name: String, url: String) {
    let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    _ = try sql("CREATE DATABASE \(name)", database: "postgres")
    return (name, "postgresql://\(user):\(password)@127.0.0.1:\(port)/\(name)?sslmode=disable")
  }

  /// Runs `statement` through psql on the socket; rows as `a|b` lines.
  public func sql(_ statement: String, database: String) throws -> String {
    try TestSSHServer.run(
      binaries + "/psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", "\(port)", "-U", user,
      "-d", database, "-c", statement])
  }

  func stop() {
    try? Self.pgCtl(binaries, ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// pg_ctl through posix_spawn, with none of the test runner's descriptors: the server it
  /// leaves running must not hold a pipe of ours open (Foundation's Process then never
  /// sees the end). Its output goes to the log beside the data.
  static func pgCtl(_ binaries: String, _ arguments: [String]) throws {
    let tool = binaries + "/pg_ctl"
    let command = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] + arguments : [tool] + arguments
    let data = arguments[arguments.firstIndex(of: "-D")! + 1]
    let pid = try TestSSHServer.spawn(command, log: (data as NSString).deletingLastPathComponent + "/pg_ctl.log")
    guard TestSSHServer.reap(pid, within: 60) else {
      kill(pid, SIGKILL)
      throw TestSSHServer.Failure(description: "pg_ctl \(arguments.last ?? "") did not finish in 60 s")
    }
  }

  // MARK: Finding and running PostgreSQL

  static let folderPrefix = "PostgresServer"

  /// The folder of initdb, pg_ctl and psql: on PATH, or Debian's /usr/lib/postgresql/N/bin.
  static func findBinaries() throws -> String {
    var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
    candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
    for folder in candidates where FileManager.default.isExecutableFile(atPath: folder + "/initdb") {
      // On PATH it may be a link into Debian's folder, which also has psql and postgres.
      let real = URL(fileURLWithPath: folder + "/initdb").resolvingSymlinksInPath().deletingLastPathComponent().path
      if FileManager.default.isExecutableFile(atPath: real + "/pg_ctl"),
        FileManager.default.isExecutableFile(atPath: real + "/psql")
      {
        return real
      }
    }
    throw TestSSHServer.Failure(
      description: "PostgreSQL's initdb, pg_ctl and psql were not found (on PATH or in /usr/lib/postgresql/*/bin): "
        + "run .ci/setup, which installs Debian's postgresql")
  }

  /// As root, `runuser -u postgres --`; otherwise the tool itself.
  static func runAsServerUser(_ tool: String, _ arguments: [String]) throws -> String {
    guard getuid() == 0 else { return try TestSSHServer.run(tool, arguments) }
    return try TestSSHServer.run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
  }

  static func postgresAccount() throws -> (uid: uid_t, gid: gid_t) {
    guard let entry = getpwnam("postgres") else {
      throw TestSSHServer.Failure(
        description: "running as root, the tests run PostgreSQL as the user postgres, which does not exist: "
          + "run .ci/setup, which installs Debian's postgresql")
    }
    return (entry.pointee.pw_uid, entry.pointee.pw_gid)
  }

  static func chown(_ path: String, _ owner: (uid: uid_t, gid: gid_t)) throws {
    guard Glibc.chown(path, owner.uid, owner.gid) == 0 else {
      throw TestSSHServer.Failure(description: "chown \(path): errno \(errno)")
    }
  }

  /// Servers of test processes that died without stopping them (killed, crashed).
  static func stopLeftovers() {
    let temp = NSTemporaryDirectory()
    let names = (try? FileManager.default.contentsOfDirectory(atPath: temp)) ?? []
    for name in names where name.hasPrefix(folderPrefix + ".") {
      let parts = name.split(separator: ".")
      guard parts.count == 3, let pid = pid_t(parts[1]), kill(pid, 0) != 0, errno == ESRCH else { continue }
      let folder = (temp as NSString).appendingPathComponent(name)
      if let binaries = try? findBinaries() {
        try? pgCtl(binaries, ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
      }
      try? FileManager.default.removeItem(atPath: folder)
    }
  }
}
