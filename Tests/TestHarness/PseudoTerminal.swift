#if canImport(Glibc)
  import Glibc
#endif
import Foundation

/// Runs a bash line with the built tools on PATH and its standard error (and, when
/// asked, its standard output) on a pseudo-terminal, as when a person runs it in a
/// terminal window: what the tools draw only for a terminal (colour, progress lines)
/// shows, and the test gets every byte of it.
///
/// The terminal is raw, so the bytes are the tools' own: a newline does not become
/// "\r\n" on the way, and every "\r" counted is one a tool wrote.
enum PseudoTerminal {
  struct Result {
    let status: Int32
    /// Everything written to the terminal.
    let terminal: [UInt8]
    /// Standard output when it was not the terminal.
    let stdout: String
    /// From the start of the child to its exit.
    let seconds: Double
    var text: String { String(decoding: terminal, as: UTF8.self) }
    /// How many times `pattern` occurs in what the terminal got.
    func count(_ pattern: String) -> Int {
      let needle = Array(pattern.utf8)
      guard !needle.isEmpty, terminal.count >= needle.count else { return 0 }
      return (0...(terminal.count - needle.count)).filter { terminal[$0..<($0 + needle.count)].elementsEqual(needle) }.count
    }
  }

  struct CannotOpen: Error { let step: String }

  // Swift's Glibc module leaves out the XSI terminal calls (grantpt, which devpts makes
  // needless, unlockpt, ptsname): they are taken from the C library as it runs.
  private typealias Unlock = @convention(c) (Int32) -> Int32
  private typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
  private static let unlockpt = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "unlockpt")!, to: Unlock.self)
  private static let ptsname = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "ptsname")!, to: Name.self)

  /// Runs `script`; `environment` is added to the test's own, less `NO_COLOR` and the
  /// secrets (a test that wants NO_COLOR gives it).
  static func run(_ script: String, environment: [String: String] = [:], stdoutOnTerminal: Bool = false) throws -> Result {
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard master >= 0, Self.unlockpt(master) == 0, let name = Self.ptsname(master) else {
      throw CannotOpen(step: "/dev/ptmx")
    }
    defer { close(master) }
    // Close-on-exec: another test's child must not keep the terminal open after ours ends.
    let terminal = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard terminal >= 0 else { throw CannotOpen(step: String(cString: name)) }
    var attributes = termios()
    tcgetattr(terminal, &attributes)
    cfmakeraw(&attributes)
    tcsetattr(terminal, TCSANOW, &attributes)
    var size = winsize(ws_row: 40, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(terminal, UInt(TIOCSWINSZ), &size)

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pty-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    _ = FileManager.default.createFile(atPath: folder + "/out", contents: nil)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", "export PATH='\(Shell.binaries.path)':$PATH; set -o pipefail; " + script]
    let handle = FileHandle(fileDescriptor: terminal, closeOnDealloc: false)
    process.standardError = handle
    process.standardOutput = stdoutOnTerminal ? handle : FileHandle(forWritingAtPath: folder + "/out")
    process.standardInput = FileHandle.nullDevice
    var env = ProcessInfo.processInfo.environment
    for name in ["NO_COLOR", "QS_API_KEY", "SFTP_PASSWORD", "SFTP_KEY_PASSPHRASE"] { env.removeValue(forKey: name) }
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let started = Date()
    do {
      try process.run()
    } catch {
      close(terminal)
      throw error
    }
    close(terminal)  // the child holds it now: end of file on the master once it is gone

    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = read(master, &chunk, chunk.count)
      if count < 0, errno == EINTR { continue }
      if count <= 0 { break }  // EIO: every holder of the terminal has closed it
      bytes.append(contentsOf: chunk[0..<count])
    }
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, terminal: bytes,
      stdout: try String(contentsOfFile: folder + "/out", encoding: .utf8),
      seconds: Date().timeIntervalSince(started))
  }
}
