#if canImport(Glibc)
  import Glibc
#endif

/// What kind of trouble ended a stage, in the library's own terms; only the command
/// layer (StageCLI's ExitStatus) turns a kind into an exit status.
public enum FailureKind: Sendable, Equatable {
  /// The command line was wrong.
  case usage
  /// The input is not what the stage reads (bad JSON, bad CSV, a record it cannot use).
  case dataError
  /// An input that is not there.
  case noInput
  /// A service the stage needs cannot be reached or refuses.
  case unavailable
  /// An output that cannot be made.
  case cannotCreate
  /// Reading or writing failed.
  case ioError
  /// Trying again later may succeed (a lost connection, a time-out).
  case temporaryFailure
  /// The other side broke its protocol.
  case protocolError
  /// Not allowed: a file's permissions, a login refused.
  case permissionDenied
  /// A setting is wrong.
  case configuration

  /// An input that could not be opened, from its errno: not there, not allowed, or
  /// anything else that went wrong reading.
  public static func opening(errno code: Int32) -> FailureKind {
    switch code {
    case ENOENT, ENOTDIR: .noInput
    case EACCES, EPERM: .permissionDenied
    default: .ioError
    }
  }
}

/// An error that ends a stage with a message and its kind. The message is for people
/// and is printed as `stage: [place: ]error: [CODE] message`.
public struct StageFailure: Error, CustomStringConvertible, Sendable {
  public let kind: FailureKind
  public let code: String
  public let message: String
  /// `file` or `file:line`, when the failure has a place.
  public let place: String?

  public init(_ kind: FailureKind, code: String, _ message: String, place: String? = nil) {
    self.kind = kind
    self.code = code
    self.message = message
    self.place = place
  }

  public var description: String { "[\(code)] \(message)" }
}
