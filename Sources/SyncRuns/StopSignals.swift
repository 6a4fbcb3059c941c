#if canImport(Glibc)
  import Glibc
#endif

/// SIGTERM, SIGINT and SIGHUP, as clever-sync takes them: not a death but a request to
/// stop. The handler only notes the signal; the run's loop, which polls it, stops the
/// stages' process groups, waits for them, records the run as Cancelled and releases
/// the lock (`systemctl stop`, Ctrl-C and a closed terminal all end a run cleanly).
public enum StopSignals {
  public static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

  /// Installs the handler once, for the life of the process. With `hangupReloads` (a
  /// fleet's daemon), SIGHUP asks it to re-read its profiles instead of stopping.
  public static func install(hangupReloads: Bool = false) {
    // A parent may have started us with them blocked (Foundation's Process can).
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for signal in handled { sigaddset(&unblock, signal) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    for signal in handled {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { received in stopSignal = received }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      sigaction(signal, &action, nil)
    }
    if hangupReloads {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { _ in hangupSignal = 1 }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      sigaction(SIGHUP, &action, nil)
    }
  }

  /// Whether SIGHUP came since the last call (with `install(hangupReloads: true)`).
  public static func takeReload() -> Bool {
    guard hangupSignal != 0 else { return false }
    hangupSignal = 0
    return true
  }

  /// The signal received, if any.
  public static var received: Int32? {
    let signal = stopSignal
    return signal == 0 ? nil : signal
  }

  public static func name(_ signal: Int32) -> String {
    switch signal {
    case SIGTERM: "SIGTERM"
    case SIGINT: "SIGINT"
    case SIGHUP: "SIGHUP"
    case SIGKILL: "SIGKILL"
    default: "signal \(signal)"
    }
  }

  /// Sleeps up to `seconds`, returning early when a stop signal arrives.
  public static func sleep(_ seconds: Double) {
    var left = seconds
    while left > 0, received == nil {
      let step = min(left, 0.1)
      usleep(UInt32(step * 1_000_000))
      left -= step
    }
  }
}

/// Written by the signal handler, read by the loops: one aligned word, so a store is
/// never seen half done.
nonisolated(unsafe) private var stopSignal: Int32 = 0
nonisolated(unsafe) private var hangupSignal: Int32 = 0
