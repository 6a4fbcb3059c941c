import Foundation
import RecordStream
import Secrets
import Testing

@testable import SFTPTransfer
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// The same cases against every server a district meets (ConformanceServer): after each,
/// the files on the server byte for byte, no temporary left, no moment without a target
/// where the server allows it (the folder is polled during the upload), and what
/// sftp-put says true to what happened.
@Suite(.serialized, .enabled(if: ConformanceServer.isAvailable, "needs root, ProFTPD (proftpd-core, proftpd-mod-crypto) and python3-paramiko"))
struct ConformanceTests {
  static let names = ["schools.csv", "teachers.csv", "sections.csv", "enrollments.csv", "students.csv"]

  /// A set of files whose every byte says which set it is.
  final class LocalSet: @unchecked Sendable {
    let folder: String
    let contents: [String: Data]
    init(_ tag: String, bigStudents: Int = 0) throws {
      folder = FileManager.default.temporaryDirectory.appendingPathComponent("set-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      var contents: [String: Data] = [:]
      for name in ConformanceTests.names {
        var text = "\(tag) \(name)\r\n"
        if name == "students.csv", bigStudents > 0 { text += String(repeating: "\(tag),row\r\n", count: bigStudents) }
        contents[name] = Data(text.utf8)
        FileManager.default.createFile(atPath: folder + "/" + name, contents: contents[name])
      }
      self.contents = contents
    }
    deinit { try? FileManager.default.removeItem(atPath: folder) }
    var items: [UploadItem] { ConformanceTests.names.map { UploadItem(local: folder + "/" + $0, name: $0) } }
  }

  struct Outcome {
    var results: [UploadResult]
    var failure: StageFailure?
    var notes: [String]
    var missing: Set<String>  // targets seen missing during the upload
    var seconds: Double
  }

  func options(_ server: ConformanceServer, _ change: (inout UploadOptions) -> Void = { _ in }) -> UploadOptions {
    .forTests(user: server.user, password: server.password, knownHosts: server.knownHostsPath, change)
  }

  func destination(_ server: ConformanceServer) -> Destination {
    Destination(kind: .sftp, user: server.user, host: server.host, port: server.port, directory: server.directory)
  }

  /// Uploads `set`, polling the server's folder meanwhile for targets that were there
  /// before and go missing.
  func upload(_ server: ConformanceServer, _ set: LocalSet, _ change: (inout UploadOptions) -> Void = { _ in }) -> Outcome {
    let watched = Self.names.filter { FileManager.default.fileExists(atPath: server.root + "/" + $0) }
    let watcher = MissingTargets(root: server.root, names: watched)
    watcher.start()
    let notes = Notes()
    let started = Date()
    let session = UploadSession(destination: destination(server), options: options(server, change), note: notes.add)
    let (results, failure) = session.upload(set.items)
    let seconds = Date().timeIntervalSince(started)
    return Outcome(results: results, failure: failure, notes: notes.all, missing: watcher.stop(), seconds: seconds)
  }

  /// The targets only (no hidden temporaries), and whether any temporary is left.
  func targets(_ server: ConformanceServer) -> [String: Data] { server.files().filter { !$0.key.hasPrefix(".") } }
  func leftovers(_ server: ConformanceServer) -> [String] { server.files().keys.filter { $0.hasPrefix(".") }.sorted() }

  @Test(arguments: ConformanceServer.Kind.allCases)
  func aFirstUploadThenASecondReplacingEveryFile(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind)
    defer { server.cleanup() }
    let a = try LocalSet("A"), b = try LocalSet("B")
    let first = upload(server, a)
    #expect(first.failure == nil, "\(kind): \(first.failure?.description ?? "")")
    #expect(server.files() == a.contents, "\(kind): exactly the set, no temporary left")
    let second = upload(server, b)
    #expect(second.failure == nil, "\(kind): \(second.failure?.description ?? "")")
    #expect(server.files() == b.contents, "\(kind)")
    #expect(second.results.allSatisfy { $0.status == "uploaded" })
    if kind == .proftpdWithoutPosixRename {
      // ProFTPD refuses a plain rename over an existing file (status 11) and offers no
      // posix-rename: the only way is to remove the old file first, and that is said.
      #expect(second.notes.contains { $0.contains("for an instant it is missing") }, "\(second.notes)")
    } else {
      #expect(second.missing.isEmpty, "\(kind): a target was missing during the upload: \(second.missing)")
      #expect(!second.notes.contains { $0.contains("missing") }, "\(kind): \(second.notes)")
    }
    // Fast: no channel waits for another (a server that serves one at a time included).
    #expect(second.seconds < 3, "\(kind): \(second.seconds) s")
  }

  @Test(arguments: ConformanceServer.Kind.allCases)
  func leftoversOfAKilledRunDoNotBlockTheNext(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind)
    defer { server.cleanup() }
    let a = try LocalSet("A"), b = try LocalSet("B")
    #expect(upload(server, a).failure == nil)
    // What a run killed after its writes leaves: every temporary, owned as the server writes.
    var info = stat()
    stat(server.root + "/students.csv", &info)
    for name in Self.names {
      let path = server.root + "/.\(name).sftp-put"
      FileManager.default.createFile(atPath: path, contents: Data("half".utf8))
      chown(path, info.st_uid, info.st_gid)
    }
    let second = upload(server, b)
    #expect(second.failure == nil, "\(kind): \(second.failure?.description ?? "")")
    #expect(server.files() == b.contents, "\(kind): \(leftovers(server))")
  }

  @Test(arguments: ConformanceServer.Kind.allCases)
  func aServerKilledDuringTheUploadLeavesThePreviousSet(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind)
    defer { server.cleanup() }
    let a = try LocalSet("A"), b = try LocalSet("B")
    #expect(upload(server, a).failure == nil)
    server.pause()
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Outcome?
    DispatchQueue.global().async {
      outcome = self.upload(server, b)
      done.signal()
    }
    usleep(700_000)
    server.stop()
    #expect(done.wait(timeout: .now() + 30) == .success)
    #expect(outcome?.failure != nil)
    #expect(outcome?.results.allSatisfy { $0.status == "failed" && !$0.targetRemoved } == true)
    #expect(targets(server) == a.contents, "\(kind)")
  }

  @Test(arguments: ConformanceServer.Kind.allCases)
  func aStalledServerIsGivenUpWithinTheTimeout(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind)
    defer { server.cleanup() }
    let a = try LocalSet("A"), b = try LocalSet("B")
    #expect(upload(server, a).failure == nil)
    server.pause()
    let stalled = upload(server, b) {
      $0.connectTimeout = 2
      $0.inactivityTimeout = 2
    }
    server.resume()
    #expect(stalled.failure?.code == "E_TIMEOUT" || stalled.failure?.code == "E_CONNECTION", "\(stalled.failure?.description ?? "")")
    #expect(stalled.seconds < 6, "\(kind): \(stalled.seconds) s for a 2 s timeout")
    #expect(targets(server) == a.contents)
  }

  @Test(.enabled(if: Fault.canMountForServers, "needs root to mount a tmpfs"), arguments: ConformanceServer.Kind.allCases)
  func aFullDiskIsReportedAsSuch(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind, storage: .full(kilobytes: 96))
    defer { server.cleanup() }
    let a = try LocalSet("A"), big = try LocalSet("B", bigStudents: 20_000)  // about 180 KB
    #expect(upload(server, a).failure == nil, "\(kind)")
    let full = upload(server, big)
    #expect(full.failure?.code == "E_REMOTE_SPACE", "\(kind): \(full.failure?.description ?? "no failure")")
    #expect(full.failure?.kind == .cannotCreate)
    let message = full.failure?.message ?? ""
    #expect(message.contains("full disk or a quota") || message.contains("bytes free"), "\(message)")
    #expect(targets(server) == a.contents, "\(kind)")
    #expect(leftovers(server).isEmpty, "\(kind): \(leftovers(server))")
  }

  @Test func aStorageFailureOnClosingIsToldFileByFile() throws {
    // The Clever-like server stores each file at its CLOSE, where its bucket's limit
    // fails: the files closed before are new, the rest keep their previous content, and
    // the results say exactly that.
    let server = try ConformanceServer(.cleverLike, storage: .quota(kilobytes: 96))
    defer { server.cleanup() }
    let a = try LocalSet("A"), big = try LocalSet("B", bigStudents: 20_000)
    #expect(upload(server, a).failure == nil)
    let full = upload(server, big)
    #expect(full.failure?.code == "E_REMOTE_SPACE", "\(full.failure?.description ?? "no failure")")
    #expect(full.failure?.message.contains("full disk or a quota") == true)
    var expected = big.contents
    expected["students.csv"] = a.contents["students.csv"]
    #expect(targets(server) == expected)
    #expect(leftovers(server).isEmpty, "\(leftovers(server))")
    for result in full.results {
      #expect(result.status == (result.name == "students.csv" ? "failed" : "uploaded"), "\(result)")
      #expect(!result.targetRemoved)
    }
    #expect(full.missing.isEmpty, "\(full.missing)")
  }

  @Test(arguments: ConformanceServer.Kind.allCases)
  func aReadOnlyDirectoryChangesNothing(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind, storage: kind == .cleverLike ? .readOnly : .plain)
    defer { server.cleanup() }
    let a = try LocalSet("A"), b = try LocalSet("B")
    // The previous set put in place directly, then the folder made read-only.
    var info = stat()
    stat(server.root, &info)
    for (name, data) in a.contents {
      FileManager.default.createFile(atPath: server.root + "/" + name, contents: data)
      chown(server.root + "/" + name, info.st_uid, info.st_gid)
    }
    server.makeReadOnly()
    let refused = upload(server, b)
    #expect(refused.failure?.code == "E_REMOTE_PERMISSION", "\(kind): \(refused.failure?.description ?? "no failure")")
    #expect(server.files() == a.contents, "\(kind)")
  }

  @Test(arguments: ConformanceServer.Kind.allCases)
  func checkSaysWhatTheServerCanTell(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind)
    defer { server.cleanup() }
    var lines: [String] = []
    let session = UploadSession(destination: destination(server), options: options(server), note: { _ in })
    try session.check(write: true) { step, passed, detail in lines.append("\(passed ? "ok" : "FAIL") \(step) \(detail)") }
    #expect(lines.allSatisfy { $0.hasPrefix("ok") }, "\(lines)")
    let cannotTell = lines.contains { $0.contains("cannot tell whether") }
    #expect(cannotTell == (kind == .cleverLike), "\(kind): \(lines)")
  }

  @Test(arguments: ConformanceServer.Kind.allCases)
  func verifyReadsBackWithoutRewritingAnything(kind: ConformanceServer.Kind) throws {
    let server = try ConformanceServer(kind)
    defer { server.cleanup() }
    let a = try LocalSet("A")
    let verified = upload(server, a) { $0.verify = true }
    #expect(verified.failure == nil, "\(kind): \(verified.failure?.description ?? "")")
    #expect(server.files() == a.contents)
    if kind == .cleverLike {
      // An object store: nothing is read back (closing even a read handle stores the
      // object again there); the sizes of a listing are the check, and it says so.
      let log = (try? String(contentsOfFile: server.log, encoding: .utf8)) ?? ""
      // "OPEN "path" flags=0x1a ...": SSH_FXF_READ is 0x01, SSH_FXF_WRITE 0x02.
      let opens = log.split(separator: "\n").compactMap { line -> (line: Substring, flags: Int)? in
        guard line.contains(" OPEN "), let range = line.range(of: "flags=0x") else { return nil }
        return (line, Int(line[range.upperBound...].prefix { $0.isHexDigit }, radix: 16) ?? 0)
      }
      // Written straight to the targets (stored at CLOSE), after the probe.
      let writes = opens.filter { $0.flags & 2 != 0 }
      #expect(writes.count == Self.names.count + 1 && writes.allSatisfy { !$0.line.contains(".sftp-put\"") },
              "\(writes)")
      #expect(!opens.contains { $0.flags & 2 == 0 }, "a file was opened to be read back: \(opens)")
      #expect(verified.notes.contains { $0.contains("checked the sizes of a listing instead") }, "\(verified.notes)")
    } else {
      #expect(!verified.notes.contains { $0.contains("listing") }, "\(kind) is read back: \(verified.notes)")
    }
  }

  @Test func aChannelOnWhichSFTPIsRefusedFailsCleanly() throws {
    // The session channel is opened, but SFTP is refused on it. sftp-put used to free
    // such a channel twice and die (exit 134).
    let server = try ConformanceServer(.cleverLike, extra: ["--refuse-sftp-after", "0"])
    defer { server.cleanup() }
    let a = try LocalSet("A")
    FileManager.default.createFile(atPath: server.root + "/students.csv", contents: Data("old\r\n".utf8))
    let put = try Shell.run(
      "SFTP_PASSWORD='\(server.password)' sftp-put --attempts 1 --known-hosts '\(server.knownHostsPath)' "
        + "sftp://\(server.user)@127.0.0.1:\(server.port)/ " + a.items.map { "'\($0.local)'" }.joined(separator: " "))
    #expect(put.status == 76, "\(put.status): \(put.stderr)")
    #expect(put.stderr.contains("refused it") || put.stderr.contains("Unable to request SFTP subsystem"), "\(put.stderr)")
    // Without SFTP the folder cannot be listed: whether a file is there is not known.
    #expect(put.stderr.contains("not uploaded (any file already there is unchanged): students.csv"), "\(put.stderr)")
    #expect(targets(server) == ["students.csv": Data("old\r\n".utf8)], "\(server.files().keys.sorted())")
  }

  @Test(arguments: [false, true])
  func oneChannelCarriesTheWholeUpload(verify: Bool) throws {
    // A server that serves SFTP on the first channel of a connection only: the whole
    // upload (and --verify, from a listing there) happens on that one channel.
    let server = try ConformanceServer(.cleverLike, extra: ["--refuse-sftp-after", "1"])
    defer { server.cleanup() }
    let a = try LocalSet("A"), b = try LocalSet("B")
    for (name, data) in a.contents { FileManager.default.createFile(atPath: server.root + "/" + name, contents: data) }
    let second = upload(server, b) { $0.verify = verify }
    #expect(second.failure == nil, "\(second.failure?.description ?? "")")
    #expect(server.files() == b.contents)
    #expect(second.missing.isEmpty, "\(second.missing)")
  }

  @Test func aSecondChannelRefusedByOpenSSHChangesNothing() throws {
    // MaxSessions 1: sshd refuses a second session channel while one is open.
    let sshd = try TestSSHServer(.init(user: "cleversftp", extraConfig: ["MaxSessions 1"]))
    defer { sshd.cleanup() }
    let remote = try sshd.makeUserDirectory("one-channel")
    let files = try LocalSet("A")
    var options = UploadOptions(user: sshd.user, hostKeyPolicy: .knownHosts(path: sshd.knownHostsPath, acceptNew: false))
    options.password = Secret(sshd.password)
    options.attempts = 1
    let destination = Destination(kind: .sftp, user: sshd.user, host: sshd.host, port: sshd.port, directory: remote)
    let outcome = UploadSession(destination: destination, options: options, note: { _ in }).upload(files.items)
    #expect(outcome.failure == nil, "\(outcome.failure?.description ?? "")")
    var found: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: remote) {
      found[name] = FileManager.default.contents(atPath: remote + "/" + name)
    }
    #expect(found == files.contents)
  }
}

/// Notes sftp-put gives while it uploads.
final class Notes: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  func add(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}

/// Polls a folder from another thread and remembers which of `names` it ever saw missing.
final class MissingTargets: @unchecked Sendable {
  private let root: String
  private let names: [String]
  private let lock = NSLock()
  private var missing = Set<String>()
  private var running = true
  private let done = DispatchSemaphore(value: 0)

  init(root: String, names: [String]) {
    self.root = root
    self.names = names
  }

  func start() {
    Thread.detachNewThread {
      while self.lock.withLock({ self.running }) {
        for name in self.names where access(self.root + "/" + name, F_OK) != 0 {
          self.lock.withLock { _ = self.missing.insert(name) }
        }
        usleep(200)
      }
      self.done.signal()
    }
  }

  func stop() -> Set<String> {
    lock.withLock { running = false }
    done.wait()
    return lock.withLock { missing }
  }
}

enum Fault {
  static var canMountForServers: Bool {
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mount-probe-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
    defer {
      _ = try? Shell.run("umount -l '\(probe)'")
      try? FileManager.default.removeItem(atPath: probe)
    }
    return (try? Shell.run("mount -t tmpfs -o size=64k tmpfs '\(probe)'"))?.status == 0
  }
}
