/// One mistake in a profile file, at the line of the key or table it concerns (nil when
/// it concerns the whole file, such as a required key that is missing).
public struct ProfileProblem: Sendable, Equatable, CustomStringConvertible {
  public let line: Int?
  public let message: String

  public init(line: Int?, _ message: String) {
    self.line = line
    self.message = message
  }

  public var description: String { (line.map { "\($0): " } ?? "") + message }
}

/// Why a profile could not be loaded: every problem found, in line order.
public struct ProfileProblems: Error, Sendable, CustomStringConvertible {
  /// What kept the profile from loading, so the command can choose its exit status.
  public enum Kind: Sendable, Equatable {
    /// No file at the path (sysexits 66, EX_NOINPUT).
    case missing
    /// The file is there but cannot be read, or is not UTF-8 (74, EX_IOERR).
    case unreadable
    /// Read, but wrong: syntax, keys, values (78, EX_CONFIG).
    case invalid
  }

  /// The profile file, as given to `load`.
  public let path: String
  public let problems: [ProfileProblem]
  public let kind: Kind

  public init(path: String, problems: [ProfileProblem], kind: Kind = .invalid) {
    self.path = path
    self.problems = problems
    self.kind = kind
  }

  /// One message a problem, as the conventions want them:
  /// "lincoln.toml:12: error: [sftp] password is a secret: …".
  public var lines: [String] {
    problems.map { "\(path)\($0.line.map { ":\($0)" } ?? ""): error: \($0.message)" }
  }

  public var description: String { lines.joined(separator: "\n") }
}
