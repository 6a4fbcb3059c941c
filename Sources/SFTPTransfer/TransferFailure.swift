import CLibSSH2
import RecordStream

/// How libssh2's errors become the stage's failures (conventions.md exit statuses), with
/// libssh2's own message and, for SFTP, the server's status.
enum TransferFailure {
  /// Codes that a new connection may cure: the upload is retried.
  static let transientCodes: Set<String> = ["E_TIMEOUT", "E_CONNECTION"]

  static func isTransient(_ failure: StageFailure) -> Bool { transientCodes.contains(failure.code) }

  static func lastError(_ session: OpaquePointer) -> (code: Int32, message: String) {
    var text: UnsafeMutablePointer<CChar>?
    var length: Int32 = 0
    let code = libssh2_session_last_error(session, &text, &length, 0)
    let message = text.map { String(cString: $0) } ?? "unknown error"
    return (code, message)
  }

  /// The failure of a session call that returned `code` while doing `what`.
  static func session(_ session: OpaquePointer, _ what: String, sftp: OpaquePointer? = nil) -> StageFailure {
    let (code, message) = lastError(session)
    switch code {
    case LIBSSH2_ERROR_TIMEOUT:
      return StageFailure(.temporaryFailure, code: "E_TIMEOUT", "\(what): the server did not answer in time (\(message))")
    case LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_DISCONNECT,
      LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_BANNER_SEND:
      return StageFailure(.temporaryFailure, code: "E_CONNECTION", "\(what): the connection was lost (\(message))")
    case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_FILE:
      return StageFailure(.permissionDenied, code: "E_AUTH", "\(what): \(message)")
    case LIBSSH2_ERROR_SFTP_PROTOCOL:
      let status = sftp.map { libssh2_sftp_last_error($0) } ?? 0
      return sftpStatus(Int32(truncatingIfNeeded: status), what)
    default:
      return StageFailure(.protocolError, code: "E_SSH", "\(what): \(message) (libssh2 error \(code))")
    }
  }

  /// An SFTP status from the server (libssh2_sftp_last_error).
  static func sftpStatus(_ status: Int32, _ what: String) -> StageFailure {
    switch UInt(bitPattern: Int(status)) {
    case LIBSSH2_FX_PERMISSION_DENIED, LIBSSH2_FX_WRITE_PROTECT:
      return StageFailure(.permissionDenied, code: "E_REMOTE_PERMISSION", "\(what): the server denied permission")
    case LIBSSH2_FX_NO_SUCH_FILE, LIBSSH2_FX_NO_SUCH_PATH:
      return StageFailure(.cannotCreate, code: "E_REMOTE_PATH", "\(what): no such file or directory on the server")
    case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM, LIBSSH2_FX_QUOTA_EXCEEDED:
      return StageFailure(.cannotCreate, code: "E_REMOTE_SPACE", "\(what): the server is out of space or quota")
    case LIBSSH2_FX_CONNECTION_LOST, LIBSSH2_FX_NO_CONNECTION:
      return StageFailure(.temporaryFailure, code: "E_CONNECTION", "\(what): the connection was lost")
    default:
      return StageFailure(.protocolError, code: "E_SFTP", "\(what): the server answered SFTP status \(status)")
    }
  }
}
