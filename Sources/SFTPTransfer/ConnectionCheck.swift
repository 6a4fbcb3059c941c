#if canImport(Glibc)
  import Glibc
#endif
import RecordStream

/// `sftp-put --check`: each step of a connection, with its result, so a user sees
/// exactly which one fails (the dashboard's "Test Connection", from a shell).
extension UploadSession {
  /// Runs the steps; `report` hears (step, passed, detail). Throws the failing step's
  /// failure after reporting it.
  public func check(write: Bool, report: (String, Bool, String) -> Void) throws {
    var current = "resolve"
    do {
      let addresses = try TCPConnection.resolve(destination.host, port: destination.port)
      report("resolve", true, "\(destination.host) is " + addresses.map(\.text).joined(separator: ", "))
      current = "connect"
      let connection = try connect { step, detail in
        report(step, true, detail ?? "")
        current = step == "connect" ? "host key" : step == "host key" ? "authenticate" : "sftp"
      }
      report("sftp", true, "subsystem started")
      current = "list"
      let names = try connection.sftp.list(destination.directory)
      let shown = names.sorted().prefix(8).joined(separator: ", ")
      report("list", true, "\(destination.directory.isEmpty ? "login directory" : destination.directory): "
             + "\(names.count) entries\(names.isEmpty ? "" : " (\(shown)\(names.count > 8 ? ", ..." : ""))")")
      // Some servers (object stores, Clever's among them) open any directory, whether it
      // exists or not: a name that cannot exist tells whether this listing means anything.
      let nowhere = destination.path(of: ".sftp-put-no-such-directory-\(getpid())")
      if (try? connection.sftp.list(nowhere)) != nil {
        report("list", true, "but the server also lists \(nowhere), which does not exist: it cannot tell whether "
               + "\(destination.directory.isEmpty ? "a directory" : destination.directory) exists "
               + "(an object store; uploads create their files under that path whatever it is)")
      }
      if write {
        current = "write"
        let probe = destination.path(of: ".sftp-put-check-\(getpid())")
        let path = "/dev/null"
        _ = try connection.sftp.upload(local: path, to: probe, progress: { _ in })
        try connection.sftp.remove(probe)
        report("write", true, "created and removed \(probe)")
      }
    } catch let failure as StageFailure {
      report(current, false, failure.message)
      throw failure
    }
  }
}
