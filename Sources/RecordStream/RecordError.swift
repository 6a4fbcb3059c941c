/// A record that cannot be used: the line is named by whoever reads the stream.
/// With `--keep-going` the record is skipped and counted; without, the stage stops (65).
public struct RecordError: Error, Equatable, Sendable {
  public let code: String
  public let message: String
  public var field: String?

  public init(_ code: String, _ message: String, field: String? = nil) {
    self.code = code
    self.message = message
    self.field = field
  }
}
