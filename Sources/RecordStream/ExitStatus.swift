/// The exit statuses every stage uses (sysexits.h), as conventions.md lists them.
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
}

/// An error that ends a stage with a message and a status. The message is for people
/// and is printed as `stage: [place: ]error: [CODE] message`.
public struct StageFailure: Error, CustomStringConvertible, Sendable {
  public let status: ExitStatus
  public let code: String
  public let message: String
  /// `file` or `file:line`, when the failure has a place.
  public let place: String?

  public init(_ status: ExitStatus, code: String, _ message: String, place: String? = nil) {
    self.status = status
    self.code = code
    self.message = message
    self.place = place
  }

  public var description: String { "[\(code)] \(message)" }
}
