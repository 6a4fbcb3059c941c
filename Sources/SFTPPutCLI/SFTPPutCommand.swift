#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import CleverFormat
import RecordStream
import RosterRecords
import Secrets
import SFTPTransfer

/// `sftp-put`: uploads Clever's files over SFTP, host key checked, nothing half-written.
public struct SFTPPutCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "sftp-put",
    abstract: "Upload Clever's files over SFTP: host key checked, nothing half-written ever visible.",
    discussion: """
      DEST is sftp://user@host[:port][/dir], user@host:dir, a bare host, or \
      file:///dir. Files come as arguments or as `file` records on standard input \
      (clever-csv's output). The password comes from SFTP_PASSWORD or --password-file, \
      never from the command line. See sftp-put(1).
      """,
    version: ToolVersion.current)

  @Option(name: .long, help: ArgumentHelp("The login name (default: the one in DEST).", valueName: "name"))
  var user: String?

  @Option(name: .long, help: ArgumentHelp("Read the password from this file (mode 0600), or set the variable SFTP_PASSWORD.", valueName: "file"))
  var passwordFile: String?

  @Option(name: [.customShort("i"), .long], help: ArgumentHelp("Authenticate with this private key.", valueName: "file"))
  var identity: String?

  @Option(name: .long, help: ArgumentHelp("Read the key's passphrase from this file, or set the variable SFTP_KEY_PASSPHRASE.", valueName: "file"))
  var passphraseFile: String?

  @Option(name: .long, help: ArgumentHelp("The known_hosts file to check the host key against (default: ~/.ssh/known_hosts).", valueName: "file"))
  var knownHosts: String?

  @Option(name: .long, help: ArgumentHelp("Trust only this host key fingerprint, as ssh-keygen -lf prints it.", valueName: "SHA256:..."))
  var hostKey: String?

  @Flag(name: .long, help: "Record an unknown host key in known_hosts (never a changed one), like OpenSSH's accept-new.")
  var acceptNewHostKey = false

  @Flag(name: .long, help: "Write straight to the final names (servers that forbid renames); a failed file is removed.")
  var direct = false

  @Flag(name: .long, help: "Read every uploaded file back and compare its SHA-256.")
  var verify = false

  @Flag(name: .long, help: "Test the connection step by step (resolve, connect, host key, log in, list); upload nothing.")
  var check = false

  @Flag(name: .long, help: "With --check: also create and remove a probe file.")
  var checkWrite = false

  @Option(name: .long, help: ArgumentHelp("Seconds to wait for the connection.", valueName: "seconds"))
  var connectTimeout: Double = 15

  @Option(name: .long, help: ArgumentHelp("Seconds without progress before giving up on a connection.", valueName: "seconds"))
  var timeout: Double = 60

  @Option(name: .long, help: ArgumentHelp("Tries in all for failures a new connection may cure (resets, timeouts).", valueName: "n"))
  var attempts = 3

  @Argument(help: ArgumentHelp("Where to upload.", valueName: "dest"))
  var destination: String

  @Argument(help: ArgumentHelp("Files to upload; none reads `file` records from standard input.", valueName: "file"))
  var files: [String] = []

  public init() {}

  public func validate() throws {
    if hostKey != nil && acceptNewHostKey { throw ValidationError("--host-key pins a key; --accept-new-host-key cannot go with it") }
    if checkWrite && !check { throw ValidationError("--check-write goes with --check") }
    if check && !files.isEmpty { throw ValidationError("--check uploads nothing: give no files") }
    guard connectTimeout > 0, timeout > 0 else { throw ValidationError("timeouts must be positive") }
    guard (1...20).contains(attempts) else { throw ValidationError("--attempts takes 1 to 20") }
    // user:secret@host, in a URL or scp form: refused before it can reach a message.
    var authority = Substring(destination)
    if destination.lowercased().hasPrefix("sftp://") {
      authority = authority.dropFirst(7)
      if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
    } else if let slash = authority.firstIndex(of: "/"), let at = authority.lastIndex(of: "@"), slash < at {
      authority = authority[..<slash]
    }
    if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
      throw ValidationError("never put a password in the destination: use SFTP_PASSWORD or --password-file")
    }
  }

  public func run() throws {
    // A stop held back during the renames is carried out once they are reported.
    defer { StageStop.release() }
    let runner = StageRunner(stage: "sftp-put", options: try StageOptions.parse([]))
    let output = OutputSink.standardOutput()
    try runner.run {
      let dest = try Destination.parse(destination)
      if check {
        try runCheck(dest, runner: runner)
        return
      }
      let items = try collectItems(output: output)
      guard !items.isEmpty else {
        throw StageFailure(.noInput, code: "E_NO_FILES", "no files to upload (give files, or pipe clever-csv's output in)")
      }
      let started = DateClock.seconds()
      let (results, failure): ([UploadResult], StageFailure?)
      if dest.kind == .local {
        (results, failure) = LocalUpload(directory: dest.directory, direct: direct).upload(items)
      } else {
        let progress = Progress(total: items.reduce(0) { $0 + FileSize.of($1.local) })
        (results, failure) = try UploadSession(destination: dest, options: try uploadOptions(dest), note: runner.reporter.note,
                                               progress: progress.advance).upload(items)
        progress.finish()
      }
      do {
        for result in results {
          try output.write { JSONWriter.append(.object(Self.record(result)), to: &$0); $0.append(0x0A) }
        }
        try output.flush()
      } catch is ClosedPipe {
        // Nobody reads the records, but a failed upload must still say so and exit non-zero.
        if let failure { throw failure }
      }
      let seconds = DateClock.seconds() - started
      let sent = results.filter { $0.status == "uploaded" }
      let bytes = sent.reduce(0) { $0 + $1.bytes }
      if let failure {
        for result in results {
          let state = result.status == "uploaded" ? "new"
            : result.targetRemoved ? "REMOVED: the old file was removed and the new one could not be renamed in; the server has no file here now"
            : direct ? "not uploaded (--direct: removed, or truncated if the connection was lost)"
            : result.hasPreviousFile == true ? "unchanged (previous file kept)"
            : result.hasPreviousFile == false ? "not uploaded (no file was there before)"
            : "not uploaded (any file already there is unchanged)"
          runner.reporter.note("  \(state): \(result.remotePath)")
        }
        throw failure
      }
      runner.reporter.note("uploaded \(sent.count) file\(sent.count == 1 ? "" : "s"), \(bytes) bytes in \(secondsText(seconds)) s to \(dest)")
    }
  }

  private func runCheck(_ dest: Destination, runner: StageRunner) throws {
    guard dest.kind == .sftp else {
      throw StageFailure(.usage, code: "E_USAGE", "--check tests an SFTP destination, not \(dest)")
    }
    let session = UploadSession(destination: dest, options: try uploadOptions(dest), note: runner.reporter.note)
    try session.check(write: checkWrite) { step, passed, detail in
      runner.reporter.note("\(passed ? "ok  " : "FAIL") \(step.padding(12)) \(detail)")
    }
  }

  private func uploadOptions(_ dest: Destination) throws -> UploadOptions {
    guard let login = user ?? dest.user ?? getenv("USER").map({ String(cString: $0) }) else {
      throw StageFailure(.usage, code: "E_USAGE", "no login name: put it in the destination (user@host) or use --user")
    }
    let policy: HostKeyPolicy
    if let hostKey {
      policy = .pinned(fingerprint: hostKey)
    } else {
      let home = getenv("HOME").map { String(cString: $0) } ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) } ?? "/"
      policy = .knownHosts(path: knownHosts ?? home + "/.ssh/known_hosts", acceptNew: acceptNewHostKey)
    }
    var options = UploadOptions(user: login, hostKeyPolicy: policy)
    options.hostKeyAdvice = HostKeyAdvice(
      environment: ["SFTP_PUT_PIN_ADVICE", "SFTP_PUT_RECORD_ADVICE"].reduce(into: [:]) { found, name in
        found[name] = getenv(name).map { String(cString: $0) }
      })
    options.password = try Secret.read(file: passwordFile, variable: "SFTP_PASSWORD")
    options.privateKey = identity
    if let identity {
      var info = stat()
      guard stat(identity, &info) == 0, access(identity, R_OK) == 0 else {
        throw StageFailure(.noInput, code: "E_SECRET", "cannot read the key \(identity): \(String(cString: strerror(errno)))")
      }
      // As ssh does: a private key others can read is not private.
      guard info.st_mode & 0o077 == 0 else {
        throw StageFailure(.permissionDenied, code: "E_SECRET",
                           "\(identity) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 \(identity)")
      }
    }
    options.passphrase = try Secret.read(file: passphraseFile, variable: "SFTP_KEY_PASSPHRASE")
    options.connectTimeout = connectTimeout
    options.inactivityTimeout = timeout
    options.attempts = attempts
    options.direct = direct
    options.verify = verify
    return options
  }

  /// The files to send: the arguments, or the `file` records of the stream. Clever's
  /// files go in an order that renames students.csv last.
  private func collectItems(output: OutputSink) throws -> [UploadItem] {
    var items: [UploadItem] = files.map { UploadItem(local: $0, name: $0.split(separator: "/").last.map(String.init) ?? $0) }
    if files.isEmpty {
      guard isatty(0) == 0 else {
        throw StageFailure(.usage, code: "E_USAGE", "give files to upload, or pipe clever-csv's `file` records in")
      }
      let reporter = DiagnosticReporter(stage: "sftp-put")
      var reader = RecordReader(source: .standardInput, keepGoing: false, reporter: reporter)
      var validationErrors = 0
      try reader.forEach { record in
        switch record.type {
        case FileRecord.type:
          let file = try FileRecord(object: record.object)
          guard !file.path.isEmpty else { throw RecordError("E_MISSING_KEY", "file record has no \"path\"", field: "path") }
          items.append(UploadItem(local: file.path, name: file.name.isEmpty
            ? (file.path.split(separator: "/").last.map(String.init) ?? file.path) : file.name))
        case ValidationRecord.type:
          validationErrors += try ValidationRecord(object: record.object).errors
          try output.write(record.raw)
          try output.write([0x0A])
        default:
          try output.write(record.raw)
          try output.write([0x0A])
        }
      }
      if validationErrors > 0 {
        throw StageFailure(.dataError, code: "E_VALIDATION",
                           "the stream's validation record counts \(validationErrors) error\(validationErrors == 1 ? "" : "s"); nothing uploaded")
      }
    }
    for item in items where access(item.local, R_OK) != 0 {
      throw StageFailure(.noInput, code: "E_INPUT", "cannot read \(item.local): \(String(cString: strerror(errno)))")
    }
    let order = CleverFile.uploadOrder.map(\.fileName)
    return items.enumerated().sorted { a, b in
      let ra = order.firstIndex(of: a.element.name) ?? -1, rb = order.firstIndex(of: b.element.name) ?? -1
      return ra == rb ? a.offset < b.offset : ra < rb
    }.map(\.element)
  }

  static func record(_ result: UploadResult) -> JSONObject {
    UploadRecord(name: result.name, remotePath: result.remotePath, bytes: result.bytes, sha256: result.sha256,
                 seconds: result.seconds, attempts: result.attempts, status: result.status, error: result.error).object
  }
}

/// Bytes sent, as a line on stderr when TerminalStyle allows it.
final class Progress {
  let total: Int
  private var sent = 0
  private let shown = TerminalStyle.onStandardError
  private var lastPercent = -1

  init(total: Int) { self.total = max(total, 1) }

  func advance(_ bytes: Int) {
    sent += bytes
    guard shown else { return }
    let percent = min(100, sent * 100 / total)
    if percent != lastPercent {
      lastPercent = percent
      let line = "\rsftp-put: \(percent)% (\(sent) of \(total) bytes)"
      Self.toTerminal(line)
    }
  }

  func finish() {
    if shown && lastPercent >= 0 { Self.toTerminal("\r\u{1B}[K") }
  }

  private static func toTerminal(_ text: String) {
    let bytes = Array(text.utf8)
    _ = write(2, bytes, bytes.count)
  }
}

enum DateClock {
  static func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }
}

extension String {
  func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
