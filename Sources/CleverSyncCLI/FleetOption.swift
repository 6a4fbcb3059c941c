import ArgumentParser
import Foundation
import SyncProfile
import SyncRuns

/// `--profiles DIR` and `--all`: a fleet, every `*.toml` of a folder, instead of one profile.
struct FleetOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp("Every *.toml in this folder is a profile: serve them all (a fleet).", valueName: "dir"))
  var profiles: String?
  @Flag(name: .long, help: "The fleet of the config folder ($CLEVER_SYNC_CONFIG_DIR or ~/.config/clever-sync).")
  var all = false

  /// The fleet's folder, or nil for one profile.
  var folder: String? {
    if let profiles { return profiles }
    guard all else { return nil }
    // A name's file is FOLDER/NAME.toml: its folder is the config folder.
    let environment = ProcessInfo.processInfo.environment
    return (SyncProfile.locate("x", environment: environment) as NSString).deletingLastPathComponent
  }

  func directory() -> ProfileDirectory? {
    folder.map { ProfileDirectory(folder: $0, environment: ProcessInfo.processInfo.environment, report: Say.line) }
  }
}

/// `--jobs` and `--sftp-per-host`, the bounds of a fleet's `tick` and `daemon`.
struct FleetBounds: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("With --profiles: at most this many runs at once.", valueName: "n"))
  var jobs = 4
  @Option(name: .customLong("sftp-per-host"), help: ArgumentHelp(
    "With --profiles: at most this many runs at once to one host.", valueName: "n"))
  var sftpPerHost = 4
  @Option(name: .long, help: ArgumentHelp(
    "Hold a run's claim for this many seconds, renewed as it runs: a machine that dies holds its runs back this long.",
    valueName: "seconds"))
  var lease = ProfileClaim.defaultLeaseSeconds

  func validate() throws {
    guard lease >= 2 else { throw ValidationError("--lease must be at least 2 seconds") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    guard sftpPerHost >= 1 else { throw ValidationError("--sftp-per-host must be at least 1") }
  }

  /// The fleet over `directory`, each run a `clever-sync tick` of its own for that run.
  func fleet(_ directory: ProfileDirectory) -> Fleet {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    return Fleet(
      directory: directory, slots: RunSlots(jobs: jobs, perHost: sftpPerHost), leaseSeconds: lease, say: Say.line
    ) { member, run, holder in
      (executable, [
        "tick", "--profile", member.profile.path, "--pending", String(run.runId), "--claim", holder,
        "--lease", String(lease),
      ])
    }
  }
}
