#if canImport(Glibc)
  import Glibc
#endif
import CChildProcess
import Foundation

/// A process clever-sync starts (a stage, a notification command) that cannot outlive
/// it.
///
/// Started with posix_spawn rather than Foundation's Process, which can start children
/// with signals blocked or ignored and cannot put them in a process group:
/// - each child leads a process group of its own, so a stop reaches whatever it starts,
///   and a Ctrl-C on the terminal reaches clever-sync first, which then stops the run;
/// - its signal mask is empty and TERM, INT, HUP and PIPE have their default actions;
/// - it inherits only standard input, output and error, plus, for our own stages,
///   the read end of the lifeline pipe as fd 3 (`CLEVER_SYNC_LIFELINE=3`), whose write
///   end only clever-sync holds: when clever-sync dies, even by SIGKILL, the stage reads
///   end of file and exits; and the profile's lock as fd 4, so that the lock is free
///   only when every stage of the run has exited.
public final class ChildProcess {
  public let pid: pid_t
  public let name: String
  public private(set) var status: Int32?
  /// The signal that ended it, if one did.
  public private(set) var signal: Int32?

  /// Starts `path`. The descriptors are the child's 0, 1 and 2; `stage` gives it the
  /// lifeline and the lock.
  public init(
    name: String, path: String, arguments: [String], environment: [String: String], stdin: Int32, stdout: Int32,
    stderr: Int32, stage: Bool
  ) throws(RunFailure) {
    self.name = name
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var sources: [(Int32, Int32)] = [(stdin, 0), (stdout, 1), (stderr, 2)]
    var environment = environment
    if stage {
      sources.append((Lifeline.readEnd, 3))
      environment["CLEVER_SYNC_LIFELINE"] = "3"
      if let lock = ProfileLock.heldDescriptor { sources.append((lock, 4)) }
    } else {
      environment["CLEVER_SYNC_LIFELINE"] = nil
    }
    // Copies above every target first, so that no dup2 overwrites a source still to come.
    var copies: [Int32] = []
    defer { for fd in copies { close(fd) } }
    for (source, target) in sources {
      let copy = fcntl(source, F_DUPFD_CLOEXEC, 10)
      guard copy >= 0 else { throw RunFailure("cannot start \(name): descriptor \(source): \(String(cString: strerror(errno)))") }
      copies.append(copy)
      posix_spawn_file_actions_adddup2(&actions, copy, target)
    }
    _ = child_process_close_from(&actions, Int32(sources.count))  // where glibc lacks it, every other descriptor is close-on-exec anyway

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let failed = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard failed == 0 else { throw RunFailure("cannot start \(name) (\(path)): \(String(cString: strerror(failed)))") }
    self.pid = pid
  }

  /// Whether it has ended; reaps it if so.
  @discardableResult
  public func poll() -> Bool {
    if status != nil { return true }
    var raw: Int32 = 0
    let result = waitpid(pid, &raw, WNOHANG)
    if result == pid {
      record(raw)
    } else if result < 0 && errno == ECHILD {
      status = 255  // reaped elsewhere: it has ended, how is not known
    }
    return status != nil
  }

  /// Waits for it to end.
  public func wait() {
    while status == nil {
      var raw: Int32 = 0
      let result = waitpid(pid, &raw, 0)
      if result == pid {
        record(raw)
      } else if result < 0 && errno != EINTR {
        status = 255
      }
    }
  }

  /// Sends `signal` to its whole process group (it and whatever it started).
  public func stop(_ signal: Int32) {
    guard status == nil else { return }
    kill(-pid, signal)
  }

  private func record(_ raw: Int32) {
    // WIFEXITED / WTERMSIG, which Swift does not import (they are macros).
    let termination = raw & 0x7f
    if termination == 0 {
      status = (raw >> 8) & 0xff
    } else {
      signal = termination
      status = 128 + termination  // as a shell reports it
    }
  }
}

/// The pipe whose write end only clever-sync holds (see ChildProcess).
public enum Lifeline {
  nonisolated(unsafe) private static var ends: (read: Int32, write: Int32)?
  private static let lock = NSLock()

  static var readEnd: Int32 {
    lock.withLock {
      if let ends { return ends.read }
      var fds: [Int32] = [0, 0]
      guard child_process_pipe(&fds) == 0 else { return -1 }
      ends = (fds[0], fds[1])
      return fds[0]
    }
  }
}
