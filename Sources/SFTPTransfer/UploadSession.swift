#if canImport(Glibc)
  import Glibc
#endif
import CLibSSH2
import RecordStream

/// Uploads a set of files so that the server never shows a half-written one under its
/// final name: every file goes to a temporary name beside its target, its size is
/// checked, and only when all are there are they renamed over the targets, one right
/// after another (posix-rename@openssh.com, atomic); on a server that stores a file
/// only when it is closed, the files are written to their final names and closed
/// together at the end. On failure the temporaries are removed and the previous files
/// stay as they were. Failures a new connection may cure (a reset, a timeout) are
/// retried with backoff.
public final class UploadSession {
  public let destination: Destination
  public let options: UploadOptions
  let note: (String) -> Void
  private let progress: (Int) -> Void

  public init(destination: Destination, options: UploadOptions, note: @escaping (String) -> Void,
              progress: @escaping (Int) -> Void = { _ in }) {
    self.destination = destination
    self.options = options
    self.note = note
    self.progress = progress
  }

  /// The temporary name of a file beside its target: hidden, and the same for every run,
  /// so one left by a run whose connection died is simply overwritten by the next (no
  /// listing to find it: a round trip saved on every upload).
  func temporaryPath(of name: String) -> String { destination.path(of: ".\(name).sftp-put") }

  // MARK: Uploading

  /// Uploads `items` in order (the last one is renamed last). Returns one result per
  /// item and the failure that stopped the run, if any.
  public func upload(_ items: [UploadItem]) -> (results: [UploadResult], failure: StageFailure?) {
    var results = items.map { UploadResult(name: $0.name, remotePath: destination.path(of: $0.name)) }
    var done = Set<String>()
    var lastFailure: StageFailure?
    for attempt in 1...max(1, options.attempts) {
      for index in results.indices where !done.contains(results[index].name) { results[index].attempts = attempt }
      do {
        try uploadOnce(items.filter { !done.contains($0.name) }, results: &results, done: &done)
        return (results, nil)
      } catch let failure as StageFailure {
        lastFailure = failure
        guard TransferFailure.isTransient(failure), attempt < options.attempts else { break }
        let delay = min(30, pow2(attempt - 1)) + Double.random(in: 0..<0.5)
        note("attempt \(attempt) failed (\(failure.message)); trying again in \(String(format1(delay))) s")
        usleep(UInt32(delay * 1_000_000))
      } catch {
        lastFailure = StageFailure(.ioError, code: "E_UPLOAD", "\(error)")
        break
      }
    }
    for index in results.indices where !done.contains(results[index].name) {
      results[index].status = "failed"
      results[index].error = lastFailure?.message ?? "not uploaded"
    }
    return (results, lastFailure)
  }

  /// One attempt, on one connection and one SFTP channel of our own (SFTPChannel): a
  /// server may serve the channels of a connection one after another, so no second
  /// channel is ever open beside it.
  /// 1. It reads the server's extensions, removes what an earlier run left under the
  ///    temporary names (a server that does not overwrite on open would refuse them),
  ///    asks whether the server stores files only when they are closed (PublishProbe),
  ///    and asks the free space where statvfs is offered.
  /// 2. Where files are stored at closing (Clever's), each is written to its final name
  ///    and all are closed at the end (publishAtClose). Elsewhere each is written to a
  ///    temporary name (and, --verify, read back on libssh2's channel, ours closed).
  /// 3. The temporaries' sizes are checked and all are renamed over the targets in one
  ///    round trip: posix-rename where offered (atomic), else a plain rename, which
  ///    replaces the target on most servers; only where the server refuses to replace is
  ///    the old file removed first, and that is said.
  private func uploadOnce(_ items: [UploadItem], results: inout [UploadResult], done: inout Set<String>) throws {
    StageStop.setMessage(
      options.direct
        ? "stopped while writing files in place (--direct): a file being written may be incomplete on the server"
        : "stopped before any file was renamed into place: the server keeps its previous files "
          + "(hidden temporaries .NAME.sftp-put may remain; the next upload removes them)")
    let ssh = try connectSession()
    var channel = try SFTPChannel(ssh)
    defer { channel.close() }
    do {
      try transfer(items, ssh: ssh, channel: &channel, results: &results, done: &done)
    } catch let failure as StageFailure {
      throw settle(failure, ssh: ssh, channel: channel, results: &results, done: done)
    }
  }

  /// Steps 1 to 3 of an attempt (see uploadOnce), on the attempt's connection.
  private func transfer(_ items: [UploadItem], ssh: SSHSession, channel: inout SFTPChannel,
                        results: inout [UploadResult], done: inout Set<String>) throws {
    let server = try prepare(channel, temporaries: options.direct ? [] : items.map { temporaryPath(of: $0.name) },
                             items: items)
    if server.publishesAtClose {
      try publishAtClose(items, on: channel, server: server, results: &results, done: &done)
      return
    }
    var written: [(item: UploadItem, temporary: String)] = []
    var roundTrip = Double.infinity
    do {
      for item in items {
        let target = destination.path(of: item.name)
        let path = options.direct ? target : temporaryPath(of: item.name)
        if !options.direct { written.append((item, path)) }
        do {
          let handle = try send(item, to: path, on: channel, roundTrip: &roundTrip, results: &results)
          // A server reports late write errors at the closing.
          let closing = try channel.batch([.close(handle: handle)])[0]
          if !closing.ok { throw TransferFailure.sftpStatus(Int32(bitPattern: closing.status), "finish writing \(path)") }
        } catch let failure as StageFailure {
          // Direct mode: a failed file is removed rather than left truncated.
          if options.direct, !TransferFailure.isTransient(failure) { _ = try? channel.batch([.remove(target)]) }
          throw server.explain(failure)
        }
        if options.direct {
          let size = try channel.batch([.stat(path)])[0]
          try checkSize(path, size.ok ? size.size : nil, sent: results.first { $0.name == item.name }!.bytes)
          mark(item.name, results: &results, done: &done)
        }
      }
      if options.verify {
        let files = items.map { ($0.name, options.direct ? destination.path(of: $0.name) : temporaryPath(of: $0.name)) }
        if server.objectStore {
          // A read-back would make such a server store each object again: the listing's
          // sizes are the check there.
          try verifyListing(files, listed: channel.listing(destination.directory), results: results)
          note("--verify: the server keeps its files in an object store, where reading them back rewrites them: "
               + "checked the sizes of a listing instead")
        } else {
          // Read back before the renames, on libssh2's channel (ours closed meanwhile):
          // a file that did not arrive intact never replaces the previous one.
          channel.close()
          try verify(files, sftp: SFTPClient(ssh), results: results)
          channel = try SFTPChannel(ssh)
        }
      }
      if !options.direct {
        let sizes = try channel.batch(written.map { .stat($0.temporary) })
        for ((item, path), size) in zip(written, sizes) {
          try checkSize(path, size.ok ? size.size : nil, sent: results.first { $0.name == item.name }!.bytes)
        }
        // A stop (SIGTERM, clever-sync gone) waits for the renames and the records that
        // report them (the command releases it): never half a set, never an untold one.
        StageStop.hold()
        StageStop.setMessage("stopped while renaming files into place: see which are new above")
        try renameAll(written, on: channel, results: &results, done: &done)
        StageStop.setMessage("stopped after every file was renamed into place: the server has the new set")
      }
    } catch let failure as StageFailure {
      // Over a dead connection every request would wait out the timeout: leave the
      // temporaries, which the next upload removes first.
      if TransferFailure.isTransient(failure) || written.isEmpty { throw failure }
      let left = written.filter { !done.contains($0.item.name) }.map(\.temporary)
      if !left.isEmpty, let cleaner = channel.isOpen ? channel : try? SFTPChannel(ssh) {
        _ = try? cleaner.batch(left.map { .remove($0) })
        cleaner.close()
      }
      throw failure
    }
  }

  /// What the server said of itself before the upload.
  struct ServerTraits {
    /// Bytes free to the account (statvfs), where the server offers it.
    var freeBytes: UInt64?
    /// It opens a directory that does not exist: an object store (Clever's keeps files
    /// in S3), where closing a handle opened even to read may write the object again.
    var objectStore = false
    /// It stores a file only when its handle is closed (PublishProbe).
    var publishesAtClose = false

    /// A generic failure (SFTP status 4, all an SFTP v3 server can say) while writing:
    /// most often a full disk or a quota.
    func explain(_ failure: StageFailure) -> StageFailure {
      guard failure.code == "E_SFTP", failure.message.hasSuffix("SFTP status 4") else { return failure }
      let free = freeBytes.map { " (before the upload the server reported \($0) bytes free)" } ?? ""
      return StageFailure(.cannotCreate, code: "E_REMOTE_SPACE",
                          failure.message + ", a generic failure while writing: a full disk or a quota is the likely "
                            + "cause\(free)")
    }
  }

  /// Step 1 of an attempt (see uploadOnce).
  private func prepare(_ channel: SFTPChannel, temporaries: [String], items: [UploadItem]) throws -> ServerTraits {
    // Answers ignored: "no such file" is the usual one, and a real problem shows when
    // the temporary is opened.
    _ = try channel.batch(temporaries.map { .remove($0) })
    var traits = ServerTraits()
    // Where posix-rename is offered the renames are atomic and the probe is not needed.
    if !options.direct, !channel.offers(SFTPChannel.posixRename) {
      traits.publishesAtClose = try channel.publishesOnlyAtClose(
        directory: destination.directory, probe: destination.path(of: SFTPChannel.probeName))
    }
    if options.verify {
      let nowhere = destination.path(of: ".sftp-put-no-such-directory-\(getpid())")
      if let handle = try channel.batch([.openDirectory(nowhere)]).first?.handle {
        traits.objectStore = true
        _ = try channel.batch([.close(handle: handle)])
      }
    }
    if channel.offers(SFTPChannel.statvfs) {
      let folder = destination.directory.isEmpty ? "." : destination.directory
      traits.freeBytes = try channel.batch([.statvfs(folder)]).first?.freeBytes
      let needed = items.reduce(UInt64(0)) { $0 + UInt64(max(0, FileSize.of($1.local))) }
      if let free = traits.freeBytes, free < needed {
        throw StageFailure(.cannotCreate, code: "E_REMOTE_SPACE",
                           "\(folder) has \(free) bytes free on the server, and the files need \(needed): nothing was sent")
      }
    }
    return traits
  }

  /// Step 2 and 3 of an attempt on a server that stores a file only when it is closed
  /// (Clever's): every file is written to its final name and left open, the previous one
  /// staying whole meanwhile; only when all are written are they closed, one after
  /// another in the set's order, each closing putting one file in place. A failure
  /// before then closes nothing: the channel is shut and the server drops what it held.
  /// The sizes are then checked in a listing (this server's STAT matches prefixes).
  private func publishAtClose(_ items: [UploadItem], on channel: SFTPChannel, server: ServerTraits,
                              results: inout [UploadResult], done: inout Set<String>) throws {
    StageStop.setMessage("stopped before any file was closed into place: the server keeps its previous files")
    var open: [(item: UploadItem, handle: String)] = []
    var roundTrip = Double.infinity
    do {
      for item in items {
        let handle = try send(item, to: destination.path(of: item.name), on: channel, roundTrip: &roundTrip,
                              results: &results)
        open.append((item, handle))
      }
      StageStop.hold()
      StageStop.setMessage("stopped while closing files into place: see which are new above")
      for (item, handle) in open {
        let closing = try channel.batch([.close(handle: handle)])[0]
        guard closing.ok else {
          throw TransferFailure.sftpStatus(Int32(bitPattern: closing.status), "store \(destination.path(of: item.name))")
        }
        mark(item.name, results: &results, done: &done)
      }
    } catch let failure as StageFailure {
      channel.close()  // without closing the handles left: the server drops them
      throw server.explain(failure)
    }
    StageStop.setMessage("stopped after every file was closed into place: the server has the new set")
    try verifyListing(items.map { ($0.name, destination.path(of: $0.name)) },
                      listed: channel.listing(destination.directory), results: results,
                      code: options.verify ? "E_VERIFY" : "E_SIZE")
    if options.verify {
      note("--verify: the server stores a file when it is closed, in an object store where reading it back "
           + "rewrites it: checked the sizes of a listing instead")
    }
  }

  /// Creates `path`, writes the item's file into it and leaves it open: its handle. The
  /// opening times the round trip (the shortest seen sizes the write window).
  private func send(_ item: UploadItem, to path: String, on channel: SFTPChannel, roundTrip: inout Double,
                    results: inout [UploadResult]) throws -> String {
    let index = results.firstIndex { $0.name == item.name }!
    let started = monotonicSeconds()
    let handle = try channel.create(path)
    roundTrip = min(roundTrip, monotonicSeconds() - started)
    let sent = try channel.write(item.local, handle: handle, path: path,
                                 window: SFTPClient.writeWindow(roundTrip: roundTrip), progress: progress)
    results[index].bytes = sent.bytes
    results[index].sha256 = sent.sha256
    results[index].seconds += monotonicSeconds() - started
    return handle
  }

  private func checkSize(_ path: String, _ size: UInt64?, sent: Int) throws {
    guard size == UInt64(sent) else {
      throw StageFailure(.protocolError, code: "E_SIZE",
                         "\(path) is \(size.map(String.init) ?? "missing") bytes on the server after \(sent) were sent")
    }
  }

  /// Step 3 of an attempt: every temporary renamed over its target in one round trip
  /// (students.csv, given last, goes last).
  private func renameAll(_ temporaries: [(item: UploadItem, temporary: String)], on channel: SFTPChannel,
                         results: inout [UploadResult], done: inout Set<String>) throws {
    let pairs = temporaries.map { (item: $0.item, from: $0.temporary, to: destination.path(of: $0.item.name)) }
    let atomic = channel.offers(SFTPChannel.posixRename)
    let first = try channel.batch(pairs.map { atomic ? .posixRename(from: $0.from, to: $0.to) : .rename(from: $0.from, to: $0.to) })
    var refused: [Int] = []
    for (index, reply) in first.enumerated() {
      if reply.ok { mark(pairs[index].item.name, results: &results, done: &done) } else { refused.append(index) }
    }
    guard !refused.isEmpty else { return }
    // The server would not replace these targets (a plain rename on OpenSSH, or a server
    // that does not overwrite): the old file goes first, then the new one is renamed in.
    let names = refused.map { pairs[$0].item.name }.joined(separator: ", ")
    note("the server did not rename over the existing \(names)\(atomic ? "" : " (it offers no posix-rename)"): "
         + "each old file is removed just before its new one is renamed in, so for an instant it is missing")
    let second = try channel.batch(refused.flatMap { index in
      [SFTPChannel.Request.remove(pairs[index].to), .rename(from: pairs[index].from, to: pairs[index].to)]
    })
    var failure: StageFailure?
    for (position, index) in refused.enumerated() {
      let (removed, renamed) = (second[2 * position], second[2 * position + 1])
      let name = pairs[index].item.name
      if renamed.ok {
        mark(name, results: &results, done: &done)
        continue
      }
      let why = TransferFailure.sftpStatus(Int32(bitPattern: renamed.status), "rename \(pairs[index].from) to \(pairs[index].to)")
      let resultIndex = results.firstIndex { $0.name == name }!
      if removed.ok {
        // Said as it is: the old file is gone and the new one is not in its place.
        results[resultIndex].targetRemoved = true
      }
      failure = failure ?? why
    }
    if let failure { throw failure }
  }

  private func mark(_ name: String, results: inout [UploadResult], done: inout Set<String>) {
    let index = results.firstIndex { $0.name == name }!
    results[index].status = "uploaded"
    done.insert(name)
  }

  /// --verify on an object store: every file in the directory's listing, at its size.
  private func verifyListing(_ files: [(name: String, path: String)], listed: [String: UInt64],
                             results: [UploadResult], code: String = "E_VERIFY") throws {
    for (name, path) in files {
      let expected = results.first { $0.name == name }!.bytes
      let base = String(path.split(separator: "/").last ?? Substring(path))
      guard listed[base] == UInt64(expected) else {
        throw StageFailure(.protocolError, code: code,
                           "\(path) is listed at \(listed[base].map(String.init) ?? "no") bytes, not the \(expected) sent")
      }
    }
  }

  private func verify(_ files: [(name: String, path: String)], sftp: SFTPClient, results: [UploadResult]) throws {
    for (name, path) in files {
      let expected = results.first { $0.name == name }!
      let remote = try sftp.sha256(of: path)
      guard remote.sha256 == expected.sha256, remote.bytes == expected.bytes else {
        if options.direct { try? sftp.remove(path) }
        throw StageFailure(.protocolError, code: "E_VERIFY",
                           "\(name) read back from the server (\(remote.bytes) bytes, sha256 \(remote.sha256)) differs from the file sent")
      }
    }
  }
}

func monotonicSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

private func pow2(_ n: Int) -> Double { Double(1 << min(n, 10)) }

private func format1(_ value: Double) -> String {
  let tenths = Int((value * 10).rounded())
  return "\(tenths / 10).\(tenths % 10)"
}
