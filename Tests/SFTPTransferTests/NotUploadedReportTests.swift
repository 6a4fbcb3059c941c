import Foundation
import Testing
@testable import TestHarness

#if canImport(Glibc)
  import Glibc
#endif

/// What sftp-put says of each file it did not upload: "unchanged (previous file kept)"
/// only where a previous file is there, and a destination folder that does not exist
/// said as such, with what to do. Against a folder here (file://) and a real sshd.
@Suite(.serialized)
struct NotUploadedReportTests {
  static let kept = "unchanged (previous file kept)"
  static let absent = "not uploaded (no file was there before)"

  /// Files a.csv, b.csv and c.csv in a folder of their own.
  final class Files {
    let folder: String
    init() throws {
      folder = FileManager.default.temporaryDirectory.appendingPathComponent("put-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: folder + "/set", withIntermediateDirectories: true)
      for name in ["a.csv", "b.csv", "c.csv"] {
        try "new \(name)\r\n".write(toFile: folder + "/set/" + name, atomically: false, encoding: .utf8)
      }
    }
    deinit { try? FileManager.default.removeItem(atPath: folder) }
    /// The arguments for `names`, in that order (sftp-put keeps the order of names that
    /// are not Clever's).
    func arguments(_ names: [String]) -> String { names.map { "'\(folder)/set/\($0)'" }.joined(separator: " ") }
  }

  @Test func aLocalFolderThatDoesNotExistIsSaidAndNoFileIsCalledKept() throws {
    let files = try Files()
    let missing = files.folder + "/newdir/sub"
    let put = try Shell.run("sftp-put 'file://\(missing)' \(files.arguments(["a.csv", "b.csv"]))")
    #expect(put.status == 73, "\(put.stderr)")
    #expect(put.stderr.contains("[E_REMOTE_PATH] the folder \(missing) does not exist: create it (mkdir -p \(missing))"),
            "\(put.stderr)")
    #expect(!put.stderr.contains(Self.kept), "\(put.stderr)")
    for name in ["a.csv", "b.csv"] { #expect(put.stderr.contains("\(Self.absent): \(missing)/\(name)"), "\(put.stderr)") }
    #expect(!FileManager.default.fileExists(atPath: files.folder + "/newdir"), "no folder is created")
  }

  @Test func aFailedLocalUploadTellsAKeptFileFromAMissingOne() throws {
    let files = try Files()
    let destination = files.folder + "/dest"
    try FileManager.default.createDirectory(atPath: destination + "/c.csv/inside", withIntermediateDirectories: true)
    try "old b\r\n".write(toFile: destination + "/b.csv", atomically: false, encoding: .utf8)
    // c.csv goes first, and a file cannot be renamed over a folder that is not empty:
    // the upload fails before a.csv and b.csv are renamed in.
    let put = try Shell.run("sftp-put 'file://\(destination)' \(files.arguments(["c.csv", "a.csv", "b.csv"]))")
    #expect(put.status != 0, "\(put.stderr)")
    #expect(put.stderr.contains("\(Self.kept): \(destination)/b.csv"), "\(put.stderr)")
    #expect(put.stderr.contains("\(Self.absent): \(destination)/a.csv"), "\(put.stderr)")
    #expect(!FileManager.default.fileExists(atPath: destination + "/a.csv"))
    #expect(try String(contentsOfFile: destination + "/b.csv", encoding: .utf8) == "old b\r\n")
  }

  func url(_ server: TestSSHServer, _ directory: String) -> String {
    "sftp://\(server.user)@127.0.0.1:\(server.port)\(directory)"
  }

  @Test(.enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
  func aServerFolderThatDoesNotExistIsSaidAndNoFileIsCalledKept() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let files = try Files()
    let missing = try server.makeUserDirectory("missing") + "/newdir/sub"
    let put = try Shell.run(
      "sftp-put --attempts 1 --known-hosts '\(server.knownHostsPath)' '\(url(server, missing))' "
        + files.arguments(["a.csv", "b.csv"]),
      environment: ["SFTP_PASSWORD": server.password])
    #expect(put.status == 73, "\(put.stderr)")
    #expect(put.stderr.contains("[E_REMOTE_PATH] the folder \(missing) does not exist on the server: create it there"),
            "\(put.stderr)")
    #expect(!put.stderr.contains(Self.kept), "\(put.stderr)")
    for name in ["a.csv", "b.csv"] { #expect(put.stderr.contains("\(Self.absent): \(missing)/\(name)"), "\(put.stderr)") }
  }

  @Test(.enabled(if: TestSSHServer.isAvailable, TestSSHServer.unavailableReason))
  func aFailedServerUploadTellsAKeptFileFromAMissingOne() throws {
    let server = try TestSSHServer()
    defer { server.cleanup() }
    let files = try Files()
    let destination = try server.makeUserDirectory("readonly")
    try "old b\r\n".write(toFile: destination + "/b.csv", atomically: false, encoding: .utf8)
    // The server's user may not write in the folder: nothing can be created there.
    chmod(destination, 0o555)
    let put = try Shell.run(
      "sftp-put --attempts 1 --known-hosts '\(server.knownHostsPath)' '\(url(server, destination))' "
        + files.arguments(["a.csv", "b.csv"]),
      environment: ["SFTP_PASSWORD": server.password])
    #expect(put.status == 77, "\(put.stderr)")
    #expect(put.stderr.contains("[E_REMOTE_PERMISSION]"), "\(put.stderr)")
    #expect(put.stderr.contains("\(Self.kept): \(destination)/b.csv"), "\(put.stderr)")
    #expect(put.stderr.contains("\(Self.absent): \(destination)/a.csv"), "\(put.stderr)")
  }
}
