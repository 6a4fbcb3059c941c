#if canImport(Glibc)
  import Glibc
#endif

/// How a stage stops when asked to (SIGTERM, SIGINT, SIGHUP) or when the clever-sync
/// that started it dies (its lifeline, fd 3, reads end of file): at once, saying what
/// state it leaves, except while stops are held (sftp-put renaming a set into place),
/// which it finishes first, so a stop never leaves half a set.
public enum StageStop {
  /// Installs the handlers and, under clever-sync, the lifeline watch. Call first.
  public static func install(stage: String) {
    stageName = stage
    setMessage("stopped (a stop signal, or the clever-sync that started it ended); nothing more is written")
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&unblock, signal) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)  // a parent may have left them blocked
    for signal in [SIGTERM, SIGINT, SIGHUP] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { received in StageStop.requested(received) }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      sigaction(signal, &action, nil)
    }
    watchLifeline()
  }

  /// What the stage says if stopped now (after "stage: "), e.g. where the files stand.
  public static func setMessage(_ text: String) {
    let bytes = Array("\(stageName): \(text)\n".utf8)
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
    buffer.initialize(from: bytes, count: bytes.count)
    // The old buffer is leaked on purpose: a handler may be reading it right now.
    message = (UnsafePointer(buffer), bytes.count)
  }

  /// Holds stops back from now until `release()`: a stop that comes meanwhile is
  /// carried out then, with the message set by then. sftp-put holds them from its first
  /// rename until it has written its records, so the state it reports is the state left.
  public static func hold() { held = 1 }

  /// Carries out a stop that came while they were held.
  public static func release() {
    held = 0
    if pending != 0 { exitNow(pending) }
  }

  // Async-signal-safe: only reads and writes of words, write(2) and _exit(2).
  fileprivate static func requested(_ signal: Int32) {
    if held != 0 {
      pending = signal
    } else {
      exitNow(signal)
    }
  }

  private static func exitNow(_ signal: Int32) {
    if let (pointer, count) = message { _ = write(2, pointer, count) }
    _exit(128 + signal)
  }

  /// clever-sync passes the read end of a pipe whose write end only it holds: end of
  /// file means it is gone, and a stage must not outlive the run that started it.
  private static func watchLifeline() {
    guard let text = getenv("CLEVER_SYNC_LIFELINE"), let fd = Int32(String(cString: text)), fd > 2,
      fcntl(fd, F_GETFD) >= 0
    else { return }
    unsetenv("CLEVER_SYNC_LIFELINE")
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    lifeline = fd
    var thread = pthread_t()
    pthread_create(&thread, nil, { _ in
      var byte: UInt8 = 0
      while true {
        let got = read(lifeline, &byte, 1)
        if got == 0 || (got < 0 && errno != EINTR) { break }
      }
      // As a terminal's hang-up: the one who started us is gone. While stops are held,
      // release() exits.
      StageStop.requested(SIGHUP)
      return nil
    }, nil)
    pthread_detach(thread)
  }
}

nonisolated(unsafe) private var stageName = ""
nonisolated(unsafe) private var message: (UnsafePointer<UInt8>, Int)?
nonisolated(unsafe) private var held: Int32 = 0
nonisolated(unsafe) private var pending: Int32 = 0
nonisolated(unsafe) private var lifeline: Int32 = -1
