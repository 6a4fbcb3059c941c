import ArgumentParser
import StageCLI
import Foundation
import RecordStream
import SyncRuns

/// `clever-sync test-connection`: the QuickSchools key and the SFTP connection, each
/// step with its result, before the first run.
struct TestConnectionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test-connection",
    abstract: "Probe the QuickSchools key and what its API gives (qs-extract's probe) and check the SFTP connection (sftp-put --check), step by step.",
    usage: "clever-sync test-connection [--profile <name>] [<options>]")
  @OptionGroup var options: ProfileOption
  @Flag(name: .long, help: "Also create and remove a probe file on the server (sftp-put --check-write).")
  var checkWrite = false
  @Flag(
    name: .long,
    help: "Record the server's host key in the profile's known_hosts if none is recorded yet (check its fingerprint with the server's operator first).")
  var acceptNewHostKey = false

  func run() throws {
    StopSignals.install()
    let engine = try options.engine()
    let plan = RunPlan(profile: engine.profile, environment: ProcessInfo.processInfo.environment)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clever-sync-check-\(getpid())").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(atPath: folder) }

    var failed: Int32 = 0
    var steps: [StageInvocation] = []
    do {
      steps.append(try plan.extract(check: true))
      // A file:// destination (a dry run's) has no connection: its folder is checked below.
      if !engine.profile.sftp.destination.hasPrefix("file://") {
        var put = try plan.upload([], check: true, acceptNewHostKey: acceptNewHostKey)
        if checkWrite { put.arguments.insert("--check-write", at: 0) }
        steps.append(put)
      }
    } catch {
      throw Say.fail("\(error)", .configuration)
    }
    for step in steps {
      print("\(step.name):")
      let outcome: StageOutcome
      do {
        outcome = try StagePipeline.run(
          [step], output: folder + "/\(step.name).out", logs: folder, withhold: plan.secretVariables)[0]
      } catch {
        throw Say.fail("\(error)", .unavailable)  // a stage not installed
      }
      let log = (try? String(contentsOfFile: folder + "/\(step.name).log", encoding: .utf8)) ?? ""
      print(log.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
      print(outcome.status == 0 ? "  => ok" : "  => FAILED (exit \(outcome.status))")
      if outcome.status != 0, failed == 0 { failed = outcome.status }
    }
    let destination = engine.profile.sftp.destination
    if destination.hasPrefix("file://") {
      let path = URL(string: destination)?.path ?? String(destination.dropFirst("file://".count))
      let usable = FileManager.default.isWritableFile(atPath: path)
      print("destination:")
      print("  \(destination): a local folder, \(usable ? "writable" : "missing or not writable")")
      print(usable ? "  => ok" : "  => FAILED (exit 73)")
      if !usable, failed == 0 { failed = ExitStatus.cannotCreate.rawValue }
    }
    if failed != 0 { throw ExitCode(failed) }
  }
}
