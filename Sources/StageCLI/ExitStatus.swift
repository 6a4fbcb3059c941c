import RecordStream

/// The exit statuses every stage uses (sysexits.h), as conventions.md lists them: the
/// one place a failure's kind becomes a number.
public enum ExitStatus: Int32, Sendable {
  case success = 0
  case problemsFound = 1
  case usage = 64
  case dataError = 65
  case noInput = 66
  case unavailable = 69
  case cannotCreate = 73
  case ioError = 74
  case temporaryFailure = 75
  case protocolError = 76
  case permissionDenied = 77
  case configuration = 78

  public init(_ kind: FailureKind) {
    switch kind {
    case .usage: self = .usage
    case .dataError: self = .dataError
    case .noInput: self = .noInput
    case .unavailable: self = .unavailable
    case .cannotCreate: self = .cannotCreate
    case .ioError: self = .ioError
    case .temporaryFailure: self = .temporaryFailure
    case .protocolError: self = .protocolError
    case .permissionDenied: self = .permissionDenied
    case .configuration: self = .configuration
    }
  }
}
