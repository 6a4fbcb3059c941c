import Foundation

/// Runs the built executables as a user would, and what they printed.
///
/// Standard output and error go to files, not pipes, so a chatty child can never block
/// on a full pipe while the test waits for it.
struct Tool {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  /// The folder of the test bundle, where SwiftPM also puts the executables.
  static let binaries: URL = {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = exe.deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("clever-map").path),
      folder.path != "/"
    {
      folder.deleteLastPathComponent()
    }
    return folder
  }()
  static let exampleSchool = repository.appendingPathComponent("examples/lincoln-academy/school.ndjson").path

  struct Result {
    let status: Int32
    let stdout: Data
    let stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
    var lines: [String] { text.split(separator: "\n").map(String.init) }
  }

  /// Runs `name` with `arguments`, standard input from `stdin` (a path) or empty.
  static func run(_ name: String, _ arguments: [String] = [], stdin: String? = nil) throws -> Result {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let process = Process()
    process.executableURL = name.hasPrefix("/") ? URL(fileURLWithPath: name) : binaries.appendingPathComponent(name)
    process.arguments = arguments
    let outPath = scratch.path + "/stdout", errPath = scratch.path + "/stderr"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = stdin.map { FileHandle(forReadingAtPath: $0)! } ?? FileHandle.nullDevice
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: try Data(contentsOf: URL(fileURLWithPath: outPath)),
      stderr: try String(contentsOfFile: errPath, encoding: .utf8))
  }

  /// Runs a shell pipeline with the executables on PATH.
  static func shell(_ script: String) throws -> Result {
    try run("/bin/bash", ["-c", "export PATH='\(binaries.path)':$PATH; set -o pipefail; " + script])
  }
}

/// A temporary directory for one test.
struct TempDirectory {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }

  func write(_ name: String, _ text: String) throws -> String {
    let file = path + "/" + name
    try text.write(toFile: file, atomically: false, encoding: .utf8)
    return file
  }

  func write(_ name: String, bytes: [UInt8]) throws -> String {
    let file = path + "/" + name
    FileManager.default.createFile(atPath: file, contents: Data(bytes))
    return file
  }

  /// Every file of a directory with its bytes, for comparing sets.
  func snapshot(_ directory: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
      result[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
    }
    return result
  }
}
