import Foundation
import RecordStream
import Secrets
import Testing

@testable import SFTPTransfer
@testable import TestHarness

/// sftp-put's upload protocol against a real OpenSSH sshd on loopback.
@Suite(.serialized, .enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
struct UploadSessionTests {
  /// Files with known content in a fresh local folder.
  struct LocalFiles {
    let folder: String
    init(_ contents: [String: String]) throws {
      folder = FileManager.default.temporaryDirectory.appendingPathComponent("put-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      for (name, text) in contents { try text.write(toFile: folder + "/" + name, atomically: false, encoding: .utf8) }
    }
    func items(_ names: [String]) -> [UploadItem] { names.map { UploadItem(local: folder + "/" + $0, name: $0) } }
    func remove() { try? FileManager.default.removeItem(atPath: folder) }
  }

  static let setA = ["schools.csv": "A schools\r\n", "teachers.csv": "A teachers\r\n", "students.csv": "A students\r\n"]
  static let setB = ["schools.csv": "B schools\r\n", "teachers.csv": "B teachers\r\n", "students.csv": "B students\r\n"]
  static let names = ["schools.csv", "teachers.csv", "students.csv"]

  func options(_ server: TestSSHServer, _ change: (inout UploadOptions) -> Void = { _ in }) -> UploadOptions {
    .forTests(user: server.user, password: server.password, knownHosts: server.knownHostsPath, change)
  }

  func upload(_ server: TestSSHServer, _ directory: String, _ files: LocalFiles, _ options: UploadOptions)
    -> (results: [UploadResult], failure: StageFailure?)
  {
    let destination = Destination(kind: .sftp, user: server.user, host: server.host, port: server.port, directory: directory)
    return UploadSession(destination: destination, options: options, note: { _ in }).upload(files.items(Self.names))
  }

  func contents(_ directory: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
      result[name] = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }
    return result
  }

  @Test(arguments: ["password", "keyboard-interactive", "key", "key with passphrase"])
  func everyWayToLogInUploadsTheSet(method: String) throws {
    let methods = method == "password" ? "password" : method == "keyboard-interactive" ? "keyboard-interactive" : "publickey"
    let server = try TestSSHServer(.init(authenticationMethods: methods))
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("login-\(methods)")
    let files = try LocalFiles(Self.setA)
    defer { files.remove() }
    let outcome = upload(server, directory, files, options(server) { options in
      if method == "key" || method == "key with passphrase" {
        options.password = nil
        options.privateKey = method == "key" ? server.clientKeyPath : server.clientKeyWithPassphrasePath
        options.passphrase = method == "key" ? nil : Secret(server.passphrase)
      }
    })
    #expect(outcome.failure == nil, "\(outcome.failure?.description ?? "")\n\(server.logTail())")
    #expect(try contents(directory) == Self.setA, "exactly the files, no temporaries left")
    #expect(outcome.results.allSatisfy { $0.status == "uploaded" && $0.attempts == 1 })
    #expect(outcome.results.map(\.sha256).allSatisfy { $0.count == 64 })
  }

  @Test func aWrongPasswordSaysWhichMethodsTheServerOffers() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("wrong")
    let files = try LocalFiles(Self.setA)
    defer { files.remove() }
    let outcome = upload(server, directory, files, options(server) { $0.password = Secret("not-the-password") })
    #expect(outcome.failure?.kind == .permissionDenied)
    #expect(outcome.failure?.code == "E_AUTH")
    let message = outcome.failure?.message ?? ""
    #expect(message.contains("the server offers publickey, password, keyboard-interactive"), "\(message)")
    #expect(message.contains("tried password"), "\(message)")
    #expect(outcome.failure?.message.contains("not-the-password") == false, "the secret never appears")
    #expect(try contents(directory).isEmpty)
  }

  @Test func anUnknownHostKeyIsRefusedWithItsFingerprintAndTheRemedy() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("unknown")
    let files = try LocalFiles(Self.setA)
    defer { files.remove() }
    let empty = files.folder + "/known_hosts"
    FileManager.default.createFile(atPath: empty, contents: Data())
    let outcome = upload(server, directory, files, options(server) { $0.hostKeyPolicy = .knownHosts(path: empty, acceptNew: false) })
    #expect(outcome.failure?.code == "E_HOST_KEY_UNKNOWN")
    #expect(outcome.failure?.kind == .permissionDenied)
    #expect(outcome.failure?.message.contains(server.hostKeyFingerprint) == true)
    #expect(outcome.failure?.message.contains("--host-key \(server.hostKeyFingerprint)") == true)
    #expect(try contents(directory).isEmpty, "nothing was sent")

    // --accept-new-host-key records it; the next run trusts it without the flag.
    let accepted = upload(server, directory, files, options(server) { $0.hostKeyPolicy = .knownHosts(path: empty, acceptNew: true) })
    #expect(accepted.failure == nil)
    let recorded = try String(contentsOfFile: empty, encoding: .utf8)
    #expect(recorded.hasPrefix("[127.0.0.1]:\(server.port) ssh-ed25519 "))
    let again = upload(server, directory, files, options(server) { $0.hostKeyPolicy = .knownHosts(path: empty, acceptNew: false) })
    #expect(again.failure == nil)
  }

  @Test func aChangedHostKeyIsRefusedEvenWithAcceptNew() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("changed")
    let files = try LocalFiles(Self.setA)
    defer { files.remove() }
    let known = files.folder + "/known_hosts"
    try FileManager.default.copyItem(atPath: server.knownHostsPath, toPath: known)
    #expect(upload(server, directory, files, options(server) { $0.hostKeyPolicy = .knownHosts(path: known, acceptNew: false) }).failure == nil)
    let before = try contents(directory)
    try server.changeHostKey()
    for acceptNew in [false, true] {
      let outcome = upload(server, directory, files, options(server) { $0.hostKeyPolicy = .knownHosts(path: known, acceptNew: acceptNew) })
      #expect(outcome.failure?.code == "E_HOST_KEY_CHANGED", "\(outcome.failure?.description ?? "no failure")")
      #expect(outcome.failure?.message.contains("HOST KEY CHANGED") == true)
    }
    #expect(try contents(directory) == before)
  }

  @Test func aHashedKnownHostsFileAndAPinnedFingerprintAreTrusted() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("trust")
    let files = try LocalFiles(Self.setA)
    defer { files.remove() }
    let hashed = upload(server, directory, files, options(server) {
      $0.hostKeyPolicy = .knownHosts(path: server.hashedKnownHostsPath, acceptNew: false)
    })
    #expect(hashed.failure == nil, "\(hashed.failure?.description ?? "")")
    let pinned = upload(server, directory, files, options(server) { $0.hostKeyPolicy = .pinned(fingerprint: server.hostKeyFingerprint) })
    #expect(pinned.failure == nil)
    let wrong = upload(server, directory, files, options(server) {
      $0.hostKeyPolicy = .pinned(fingerprint: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    })
    #expect(wrong.failure?.code == "E_HOST_KEY_CHANGED")
  }

  @Test func aDirectoryWithoutWritePermissionFailsAndChangesNothing() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUnwritableDirectory("locked")
    let files = try LocalFiles(Self.setA)
    defer { files.remove() }
    let outcome = upload(server, directory, files, options(server))
    #expect(outcome.failure?.code == "E_REMOTE_PERMISSION", "\(outcome.failure?.description ?? "")")
    #expect(outcome.failure?.kind == .permissionDenied)
    #expect(outcome.results.allSatisfy { $0.status == "failed" })
    #expect(try contents(directory).isEmpty)
  }

  @Test func aNewSetReplacesTheOldOneWithNoTemporariesLeft() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("replace")
    let a = try LocalFiles(Self.setA), b = try LocalFiles(Self.setB)
    defer { a.remove(); b.remove() }
    #expect(upload(server, directory, a, options(server)).failure == nil)
    let outcome = upload(server, directory, b, options(server) { $0.verify = true })
    #expect(outcome.failure == nil, "\(outcome.failure?.description ?? "")")
    #expect(try contents(directory) == Self.setB)
    #expect(try FileManager.default.attributesOfItem(atPath: directory + "/students.csv")[.posixPermissions] as? Int == 0o600)
  }

  /// A big file, so that a connection can be cut or frozen while it is being sent.
  static func bigFiles(megabytes: Int) throws -> LocalFiles {
    let files = try LocalFiles(Self.setB)
    let path = files.folder + "/students.csv"
    let handle = FileHandle(forWritingAtPath: path)!
    var generator = SystemRandomNumberGenerator()
    let block = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0x41...0x5A, using: &generator) })
    for _ in 0..<megabytes { handle.write(block) }
    try handle.close()
    return files
  }

  @Test func aServerKilledMidUploadLeavesThePreviousFilesWhole() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("killed")
    let a = try LocalFiles(Self.setA)
    defer { a.remove() }
    #expect(upload(server, directory, a, options(server)).failure == nil)
    let big = try Self.bigFiles(megabytes: 300)
    defer { big.remove() }
    let killer = Thread {
      Thread.sleep(forTimeInterval: 0.4)
      server.stop()
    }
    killer.start()
    let outcome = upload(server, directory, big, options(server))
    #expect(outcome.failure != nil, "the upload of 300 MB should not finish in 0.4 s on this machine")
    // Under every final name: the previous file, whole.
    for (name, text) in Self.setA {
      #expect(try String(contentsOfFile: directory + "/" + name, encoding: .utf8) == text, "\(name)")
    }
    #expect(outcome.results.allSatisfy { $0.status == "failed" })
  }

  @Test func aDroppedConnectionIsRetriedAndTheUploadCompletes() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("retry")
    let big = try Self.bigFiles(megabytes: 300)
    defer { big.remove() }
    let dropper = Thread {
      Thread.sleep(forTimeInterval: 0.4)
      server.killConnections()
    }
    dropper.start()
    let outcome = upload(server, directory, big, options(server) { $0.attempts = 3 })
    #expect(outcome.failure == nil, "\(outcome.failure?.description ?? "")")
    #expect(outcome.results.first { $0.name == "students.csv" }?.attempts == 2)
    let size = try FileManager.default.attributesOfItem(atPath: directory + "/students.csv")[.size] as? Int
    #expect(size == 300 << 20)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == Self.names.sorted())
  }

  @Test func aStalledServerTimesOutWithStatus75() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("stall")
    let files = try LocalFiles(Self.setA)
    defer { files.remove() }
    server.pause()
    defer { server.resume() }
    let started = Date()
    let outcome = upload(server, directory, files, options(server) { $0.inactivityTimeout = 2 })
    #expect(outcome.failure?.kind == .temporaryFailure, "\(outcome.failure?.description ?? "")")
    #expect(outcome.failure?.code == "E_TIMEOUT")
    #expect(Date().timeIntervalSince(started) < 20)
  }

  @Test func aFileOverAHundredMegabytesArrivesWholeAndVerified() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let directory = try server.makeUserDirectory("large")
    let big = try Self.bigFiles(megabytes: 120)
    defer { big.remove() }
    let outcome = upload(server, directory, big, options(server) { $0.verify = true })
    #expect(outcome.failure == nil, "\(outcome.failure?.description ?? "")")
    let student = outcome.results.first { $0.name == "students.csv" }
    #expect(student?.bytes == 120 << 20)
    let local = try Data(contentsOf: URL(fileURLWithPath: big.folder + "/students.csv"))
    let remote = try Data(contentsOf: URL(fileURLWithPath: directory + "/students.csv"))
    #expect(local == remote)
  }
}
