import Foundation
import Testing
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// The harness itself, proved with OpenSSH's own `sftp` client: uploads land in the home,
/// host keys are checked, and the controls (kill connections, pause, changed host key) do
/// what the SFTPTransfer tests will rely on. Every test leaves no sshd behind. A user of its
/// own, so that its checks of the home do not race the SFTPTransfer suites, which run in
/// parallel with it as the default user.
@Suite(
  .serialized, .enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason),
  .timeLimit(.minutes(1)))
struct TestSSHServerTests {
  @Test func uploadLandsInTheHome() throws {
    try withServer { server, scratch in
      let local = try scratch.file("roster.csv", "id,name\n1,Ada\n")
      let result = try scratch.sftp(server, batch: ["put \(local) students.csv"])
      #expect(result.status == 0, "\(result.output)\n\(server.logTail())")
      let landed = server.homeDirectory + "/students.csv"
      #expect(FileManager.default.contents(atPath: landed) == Data("id,name\n1,Ada\n".utf8))
      let owner = try FileManager.default.attributesOfItem(atPath: landed)[.ownerAccountName] as? String
      #expect(owner == server.user)
      #expect(server.hostKeyFingerprint.hasPrefix("SHA256:"))
      #expect(server.rsaHostKeyFingerprint.hasPrefix("SHA256:"))
      #expect(try String(contentsOfFile: server.knownHostsPath, encoding: .utf8).hasPrefix("[127.0.0.1]:\(server.port) ssh-ed25519 "))
    }
  }

  @Test func hashedKnownHostsIsAccepted() throws {
    try withServer { server, scratch in
      let hashed = try String(contentsOfFile: server.hashedKnownHostsPath, encoding: .utf8)
      #expect(hashed.hasPrefix("|1|") && !hashed.contains("127.0.0.1"))
      let local = try scratch.file("a.txt", "a\n")
      let result = try scratch.sftp(server, knownHosts: server.hashedKnownHostsPath, batch: ["put \(local) hashed.txt"])
      #expect(result.status == 0, "\(result.output)")
      #expect(FileManager.default.fileExists(atPath: server.homeDirectory + "/hashed.txt"))
    }
  }

  @Test func changedHostKeyIsRefused() throws {
    try withServer { server, scratch in
      let local = try scratch.file("a.txt", "a\n")
      let before = server.hostKeyFingerprint
      #expect(try scratch.sftp(server, batch: ["put \(local) before.txt"]).status == 0)

      try server.changeHostKey()
      #expect(server.hostKeyFingerprint != before)
      for knownHosts in [server.knownHostsPath, server.hashedKnownHostsPath] {
        let refused = try scratch.sftp(server, knownHosts: knownHosts, batch: ["put \(local) after.txt"])
        #expect(refused.status == 255)
        #expect(refused.output.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), "\(refused.output)")
      }
      #expect(!FileManager.default.fileExists(atPath: server.homeDirectory + "/after.txt"))
      // The server is up with the new key: a known_hosts naming it is accepted.
      let current = try scratch.file("known_hosts.new", server.knownHostsLine + "\n")
      #expect(try scratch.sftp(server, knownHosts: current, batch: ["put \(local) after.txt"]).status == 0)
    }
  }

  @Test func killConnectionsEndsSessionsButKeepsListening() throws {
    try withServer { server, scratch in
      let one = try scratch.file("one.txt", "1\n"), two = try scratch.file("two.txt", "2\n")
      let session = try scratch.openSession(server)
      defer { session.kill() }
      session.send("put \(one) one.txt")
      #expect(waitUntil { FileManager.default.fileExists(atPath: server.homeDirectory + "/one.txt") }, "\(server.logTail())")
      let listener = server.listenerPID
      let serving = server.connectionPIDs
      #expect(serving.count >= 3, "\(serving)")  // [priv], user@notty, user@internal-sftp

      server.killConnections()
      #expect(server.connectionPIDs.isEmpty)
      #expect(serving.allSatisfy { processState($0) == nil || processState($0) == "Z" })
      #expect(server.listenerPID == listener && listener.map { kill($0, 0) == 0 } == true)
      session.send("put \(two) two.txt")
      let ended = session.finish()
      #expect(ended.status != 0 && !ended.timedOut, "\(ended.output)")
      #expect(!FileManager.default.fileExists(atPath: server.homeDirectory + "/two.txt"))

      #expect(try scratch.sftp(server, batch: ["put \(two) three.txt"]).status == 0, "\(server.logTail())")
    }
  }

  @Test func pauseStallsAndResumeRecovers() throws {
    try withServer { server, scratch in
      let one = try scratch.file("one.txt", "1\n"), two = try scratch.file("two.txt", "2\n")
      let session = try scratch.openSession(server)
      defer { session.kill() }
      session.send("put \(one) one.txt")
      #expect(waitUntil { FileManager.default.fileExists(atPath: server.homeDirectory + "/one.txt") })

      server.pause()
      let stopped = server.connectionPIDs + [server.listenerPID ?? 0]
      #expect(stopped.allSatisfy { processState($0) == "T" }, "\(stopped.map { processState($0) ?? "-" })")
      // The kernel completes the TCP handshake, but no banner ever comes.
      let stalled = try scratch.sftp(server, options: ["-o", "ConnectTimeout=2"], batch: ["put \(two) stalled.txt"])
      #expect(stalled.status != 0 && stalled.seconds >= 1.5, "\(stalled.output)")
      #expect(stalled.output.contains("timed out"), "\(stalled.output)")

      server.resume()
      session.send("put \(two) two.txt")
      let finished = session.finish()
      #expect(finished.status == 0, "\(finished.output)")
      #expect(FileManager.default.fileExists(atPath: server.homeDirectory + "/two.txt"))
      #expect(try scratch.sftp(server, batch: ["put \(two) three.txt"]).status == 0)
    }
  }

  @Test func restartKeepsPortAndKeys() throws {
    try withServer { server, scratch in
      let local = try scratch.file("a.txt", "a\n")
      let (port, fingerprint, before) = (server.port, server.hostKeyFingerprint, server.listenerPID)
      try server.restart()
      #expect(server.port == port && server.hostKeyFingerprint == fingerprint && server.listenerPID != before)
      #expect(try scratch.sftp(server, batch: ["put \(local) a.txt"]).status == 0)
      server.stop()
      server.stop()
      #expect(server.listenerPID == nil)
      #expect(try scratch.sftp(server, batch: ["put \(local) b.txt"]).status != 0)
    }
  }

  @Test func passwordPassphraseAndKeyboardInteractive() throws {
    try withServer { server, scratch in
      let local = try scratch.file("a.txt", "a\n")
      let password = try scratch.sftp(
        server, options: ["-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"],
        secret: server.password, batch: ["put \(local) password.txt"])
      #expect(password.status == 0, "\(password.output)")
      let wrong = try scratch.sftp(
        server, options: ["-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1"],
        secret: "not-the-password", batch: ["put \(local) wrong.txt"])
      #expect(wrong.status == 255 && wrong.output.contains("Permission denied"), "\(wrong.output)")
      let passphrase = try scratch.sftp(
        server, identity: server.clientKeyWithPassphrasePath, secret: server.passphrase, batch: ["put \(local) key.txt"])
      #expect(passphrase.status == 0, "\(passphrase.output)")
      #expect(FileManager.default.fileExists(atPath: server.homeDirectory + "/password.txt"))
      #expect(FileManager.default.fileExists(atPath: server.homeDirectory + "/key.txt"))
    }
    try withServer(.init(user: harnessUser, authenticationMethods: "keyboard-interactive")) { server, scratch in
      let local = try scratch.file("a.txt", "a\n")
      let key = try scratch.sftp(server, batch: ["put \(local) a.txt"])
      #expect(key.status == 255 && key.output.contains("Permission denied (keyboard-interactive)"), "\(key.output)")
      let interactive = try scratch.sftp(
        server, options: ["-o", "PreferredAuthentications=keyboard-interactive"], secret: server.password,
        batch: ["put \(local) a.txt"])
      #expect(interactive.status == 0, "\(interactive.output)")
    }
    try withServer(.init(user: harnessUser, authenticationMethods: "publickey")) { server, scratch in
      let local = try scratch.file("a.txt", "a\n")
      let password = try scratch.sftp(
        server, options: ["-o", "PreferredAuthentications=password,keyboard-interactive"], secret: server.password,
        batch: ["put \(local) a.txt"])
      #expect(password.status == 255 && password.output.contains("Permission denied (publickey)"), "\(password.output)")
      #expect(try scratch.sftp(server, batch: ["put \(local) a.txt"]).status == 0)
    }
  }

  @Test func unwritableDirectoryRefusesUploads() throws {
    try withServer { server, scratch in
      let local = try scratch.file("a.txt", "a\n")
      let locked = try server.makeUnwritableDirectory("locked")
      let open = try server.makeUserDirectory("open")
      let refused = try scratch.sftp(server, batch: ["put \(local) locked/a.txt"])
      #expect(refused.status != 0 && refused.output.contains("Permission denied"), "\(refused.output)")
      #expect(try scratch.sftp(server, batch: ["put \(local) open/a.txt"]).status == 0)
      #expect(FileManager.default.fileExists(atPath: open + "/a.txt"))
      #expect(!FileManager.default.fileExists(atPath: locked + "/a.txt"))
    }
  }
}

// MARK: Helpers

private let harnessUser = "cleversftp-harness"

/// Starts a server, runs `body`, then cleans up (even when `body` throws) and checks that no
/// process of the server survived and its files are gone.
private func withServer(
  _ configuration: TestSSHServer.Configuration = .init(user: harnessUser),
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: (TestSSHServer, Scratch) throws -> Void
) throws {
  let server = try TestSSHServer(configuration)
  let scratch = try Scratch()
  var seen = Set<pid_t>()
  defer {
    seen.formUnion(server.connectionPIDs)
    if let listener = server.listenerPID { seen.insert(listener) }
    server.cleanup()
    scratch.remove()
    let left = seen.filter { processState($0).map { $0 != "Z" } ?? false }
    #expect(left.isEmpty, "sshd processes left: \(left)", sourceLocation: sourceLocation)
    let pgrep = try? Scratch.run("/usr/bin/pgrep", ["-a", "-f", server.directory])
    #expect(pgrep?.status == 1, "pgrep found: \(pgrep?.output ?? "?")", sourceLocation: sourceLocation)
    #expect(!FileManager.default.fileExists(atPath: server.directory), sourceLocation: sourceLocation)
    let home = (try? FileManager.default.contentsOfDirectory(atPath: server.homeDirectory)) ?? []
    #expect(home.allSatisfy { $0.hasPrefix(".") }, "left in the home: \(home)", sourceLocation: sourceLocation)
  }
  seen.formUnion(server.listenerPID.map { [$0] } ?? [])
  try body(server, scratch)
}

/// A process's state letter from /proc (R, S, T, Z...), nil when there is no such process.
private func processState(_ pid: pid_t) -> Character? {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  else { return nil }
  return stat[stat.index(after: close)...].dropFirst().first
}

/// Polls `condition` every 20 ms for up to `seconds`.
private func waitUntil(_ seconds: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if condition() { return true }
    usleep(20_000)
  }
  return condition()
}

/// A temporary folder for local files, batch files and an askpass script, and the runs of
/// the OpenSSH client.
private final class Scratch {
  let path: String

  struct Run {
    let status: Int32
    let output: String
    let seconds: Double
    let timedOut: Bool
  }

  init() throws {
    var template = Array((NSTemporaryDirectory() + "/TestSSHServerTests.XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw TestSSHServer.Failure(description: "mkdtemp: errno \(errno)") }
    path = String(cString: made)
    // ssh calls this with SSH_ASKPASS_REQUIRE=force for a password, an answer to a
    // keyboard-interactive prompt or a key's passphrase; the secret comes in the environment.
    _ = try file("askpass", "#!/bin/sh\nprintf '%s\\n' \"$TEST_SSH_SECRET\"\n", mode: 0o700)
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }

  func file(_ name: String, _ text: String, mode: mode_t = 0o644) throws -> String {
    let file = path + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    chmod(file, mode)
    return file
  }

  /// `sftp -b batch` against `server`, strict host key checking. With `secret`, prompts are
  /// allowed and answered by the askpass script.
  func sftp(
    _ server: TestSSHServer, options: [String] = [], knownHosts: String? = nil, identity: String? = nil,
    secret: String? = nil, batch: [String], timeout: TimeInterval = 20
  ) throws -> Run {
    let batchFile = try file("batch-\(UUID().uuidString)", batch.joined(separator: "\n") + "\n")
    return try Self.run(
      "/usr/bin/sftp",
      arguments(server, options: options, knownHosts: knownHosts, identity: identity, secret: secret)
        + ["-b", batchFile, "-P", String(server.port), "\(server.user)@\(server.host)"],
      environment: environment(secret), timeout: timeout)
  }

  /// `sftp -b -` reading commands as they are sent: a session that stays open.
  func openSession(_ server: TestSSHServer) throws -> Session {
    try Session(
      arguments(server) + ["-b", "-", "-P", String(server.port), "\(server.user)@\(server.host)"],
      output: path + "/session-\(UUID().uuidString)")
  }

  private func arguments(
    _ server: TestSSHServer, options: [String] = [], knownHosts: String? = nil, identity: String? = nil,
    secret: String? = nil
  ) -> [String] {
    // ssh takes the first value of an option: ours go before the harness's defaults, and
    // BatchMode=no before the `-obatchmode yes` that sftp adds for -b.
    (secret == nil ? [] : ["-o", "BatchMode=no"]) + options
      + server.openSSHOptions(knownHosts: knownHosts, identity: identity)
  }

  private func environment(_ secret: String?) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    if let secret {
      environment["SSH_ASKPASS"] = path + "/askpass"
      environment["SSH_ASKPASS_REQUIRE"] = "force"
      environment["TEST_SSH_SECRET"] = secret
    }
    return environment
  }

  /// Runs a command with output (stdout and stderr) to a file, killing its process group
  /// after `timeout` seconds.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: TimeInterval = 20
  ) throws -> Run {
    let output = NSTemporaryDirectory() + "/TestSSHServerTests-output-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: output) }
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    process.standardOutput = handle
    process.standardError = handle
    let start = Date()
    try process.run()
    try? handle.close()
    let timedOut = !wait(process, timeout: timeout)
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    return Run(
      status: process.terminationStatus, output: text, seconds: Date().timeIntervalSince(start), timedOut: timedOut)
  }

  /// Waits up to `timeout`; then kills the process's group (Foundation starts children in a
  /// group of their own, so sftp's ssh goes too). True when it ended by itself.
  static func wait(_ process: Process, timeout: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    guard process.isRunning else { return true }
    kill(-process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return false
  }
}

/// An `sftp -b -` process fed commands one at a time.
private final class Session {
  let process = Process()
  let input = Pipe()
  let outputPath: String
  let start = Date()

  init(_ arguments: [String], output: String) throws {
    outputPath = output
    signal(SIGPIPE, SIG_IGN)  // writing to an sftp that died must fail, not kill the tests
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sftp")
    process.arguments = arguments
    process.standardInput = input
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    try? handle.close()
  }

  func send(_ command: String) {
    try? input.fileHandleForWriting.write(contentsOf: Data((command + "\n").utf8))
  }

  /// Ends the input and waits for sftp to exit.
  func finish(timeout: TimeInterval = 20) -> Scratch.Run {
    try? input.fileHandleForWriting.close()
    let timedOut = !Scratch.wait(process, timeout: timeout)
    return Scratch.Run(
      status: process.terminationStatus, output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
      seconds: Date().timeIntervalSince(start), timedOut: timedOut)
  }

  func kill() {
    if process.isRunning { _ = Scratch.wait(process, timeout: 0) }
  }
}
