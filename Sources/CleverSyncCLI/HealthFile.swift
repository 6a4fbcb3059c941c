#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import Foundation
import StageCLI

/// `daemon --health-file PATH`: a file whose modification time says the daemon's loop is
/// alive, for a liveness or readiness probe (`clever-sync health`). The daemon removes a
/// file left by an earlier process before it starts, so the file appears only once the
/// profiles were read, and removes it when it stops.
final class HealthFile {
  let path: String
  private var lastTouch: Date = .distantPast
  private var warned = false

  /// Fails (73) when the file's folder cannot take it: better at start than a probe
  /// that never passes without a word.
  init(path: String) throws {
    self.path = path
    let folder = (path as NSString).deletingLastPathComponent
    guard access(folder.isEmpty ? "." : folder, W_OK | X_OK) == 0 else {
      throw Say.fail("cannot write the health file \(path): \(String(cString: strerror(errno)))", .cannotCreate)
    }
    unlink(path)
  }

  /// Touches the file, at most once a second: a pass of the loop costs one clock read.
  func beat() {
    let now = Date()
    guard now.timeIntervalSince(lastTouch) >= 1 else { return }
    lastTouch = now
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0, futimens(fd, nil) == 0 else {
      // Said once, not every second: the probe will tell the rest.
      if !warned { Say.line("warning: cannot touch the health file \(path): \(String(cString: strerror(errno)))") }
      warned = true
      if fd >= 0 { close(fd) }
      return
    }
    close(fd)
  }

  func remove() { unlink(path) }
}
