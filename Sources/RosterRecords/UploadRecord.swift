import RecordStream

/// What sftp-put did with one file (roster-records(5)).
public struct UploadRecord: Sendable, Equatable {
  public static let type = "upload"
  public static let keys = ["name", "remotePath", "bytes", "sha256", "seconds", "attempts", "status", "error"]

  public var name: String
  public var remotePath: String
  public var bytes: Int
  public var sha256: String
  /// Written with three decimals.
  public var seconds: Double
  public var attempts: Int
  /// `uploaded` or `failed`.
  public var status: String
  /// Why it failed; empty (and left out) when it did not.
  public var error: String

  public init(name: String, remotePath: String, bytes: Int, sha256: String, seconds: Double, attempts: Int,
              status: String, error: String) {
    self.name = name
    self.remotePath = remotePath
    self.bytes = bytes
    self.sha256 = sha256
    self.seconds = seconds
    self.attempts = attempts
    self.status = status
    self.error = error
  }

  public var object: JSONObject {
    var o = JSONObject([
      ("type", .string(Self.type)), ("name", .string(name)), ("remotePath", .string(remotePath)),
      ("bytes", .number(String(bytes))), ("sha256", .string(sha256)), ("seconds", .number(secondsText(seconds))),
      ("attempts", .number(String(attempts))), ("status", .string(status)),
    ])
    if !error.isEmpty { o.append("error", .string(error)) }
    return o
  }

  public init(object: JSONObject) throws(RecordError) {
    name = try object.string("name")
    remotePath = try object.string("remotePath")
    bytes = try object.count("bytes")
    sha256 = try object.string("sha256")
    seconds = try object.number("seconds")
    attempts = try object.count("attempts")
    status = try object.string("status")
    error = try object.string("error")
  }
}
