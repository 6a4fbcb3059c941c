import Foundation

/// One run per profile at a time: an exclusive flock on `<state>/lock`, held for the
/// whole run and released by the kernel if the process dies, so a crash never leaves
/// a profile locked.
public final class ProfileLock {
  private let fd: Int32
  /// The lock this process holds, which stages inherit (ChildProcess): the kernel frees
  /// it only when clever-sync and every stage it started have exited.
  nonisolated(unsafe) public private(set) static var heldDescriptor: Int32?

  /// Takes the lock, or returns nil when another process holds it.
  public init?(state: String, patience: Double = 2) throws {
    try FileManager.default.createDirectory(
      atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let fd = open(state + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw RunFailure("cannot open \(state)/lock: \(String(cString: strerror(errno)))") }
    // `history` and `show` hold it for a moment to see whether a run is going on: a
    // holder that lets go within `patience` seconds is waited for, so a tick from
    // cron never skips its runs because someone looked at the history.
    let deadline = Date().addingTimeInterval(patience)
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard Date() < deadline else {
        close(fd)
        return nil
      }
      usleep(20_000)
    }
    self.fd = fd
    Self.heldDescriptor = fd
  }

  deinit {
    if Self.heldDescriptor == fd { Self.heldDescriptor = nil }
    // No LOCK_UN: it would free the lock while a stage that holds a copy still runs.
    close(fd)
  }
}
