#if canImport(Glibc)
  import Glibc
#endif
import Secrets

/// Who we are, how the server is trusted, and how patient to be.
public struct UploadOptions: Sendable {
  public var user: String
  public var password: Secret?
  public var privateKey: String?
  public var passphrase: Secret?
  public var hostKeyPolicy: HostKeyPolicy
  public var hostKeyAdvice = HostKeyAdvice()
  public var connectTimeout: Double = 15
  /// Seconds without progress before the connection is given up (then retried).
  public var inactivityTimeout: Double = 60
  /// Tries in all, for failures a new connection may cure.
  public var attempts: Int = 3
  /// Write straight to the final names, for servers that forbid renames.
  public var direct = false
  /// Read each file back and compare its SHA-256.
  public var verify = false

  public init(user: String, hostKeyPolicy: HostKeyPolicy) {
    self.user = user
    self.hostKeyPolicy = hostKeyPolicy
  }
}

/// One file to upload: where it is here, its name there.
public struct UploadItem: Sendable, Equatable {
  public let local: String
  public let name: String

  public init(local: String, name: String) {
    self.local = local
    self.name = name
  }
}

/// What happened to one file (the `upload` record of records.md).
public struct UploadResult: Sendable, Equatable {
  public var name: String
  public var remotePath: String
  public var bytes = 0
  public var sha256 = ""
  public var seconds = 0.0
  public var attempts = 0
  /// `uploaded` or `failed`.
  public var status = "failed"
  public var error = ""
  /// Failed after the server refused to rename over the old file, which was removed:
  /// the server has no file under this name now.
  public var targetRemoved = false
  /// After a failure, for a file not uploaded: whether the destination has a file under
  /// its name (the previous one, kept) or none; nil when it could not be asked.
  public var hasPreviousFile: Bool?
}

/// A local file's size (0 when it cannot be read; the upload then says why).
public enum FileSize {
  public static func of(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
  }
}
