#if canImport(Glibc)
  import Glibc
#endif

/// Space held back in the state directory (`.reserve`, 512 KiB), so that a run that
/// fills the disk can still record how it ended: when the history cannot be written,
/// the reserve is given up and the write tried again. The next clever-sync makes it
/// anew once there is room.
struct DiskReserve {
  static let bytes = 512 * 1024
  let path: String

  init(state: String) { path = state + "/.reserve" }

  /// Makes the reserve if it is missing; quietly does without on a disk already full.
  func ensure() {
    var info = stat()
    if stat(path, &info) == 0 && Int(info.st_size) >= Self.bytes { return }
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    let failed = posix_fallocate(fd, 0, off_t(Self.bytes)) != 0
    close(fd)
    if failed { unlink(path) }
  }

  /// Frees the space; true when there was a reserve to free.
  func release() -> Bool { unlink(path) == 0 }
}
