import CLibSSH2

/// libssh2 is initialised once per process, before any session.
enum LibSSH2 {
  static let initialised: Bool = libssh2_init(0) == 0
}
