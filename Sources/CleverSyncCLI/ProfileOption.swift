#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import Foundation
import RecordStream
import SyncProfile
import SyncRuns

/// `--profile`, which every subcommand takes.
struct ProfileOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The profile: a name (looked up in $CLEVER_SYNC_CONFIG_DIR or ~/.config/clever-sync) or a .toml file; "
        + "default $CLEVER_SYNC_PROFILE.", valueName: "name"))
  var profile: String?

  var name: String? { profile ?? ProcessInfo.processInfo.environment["CLEVER_SYNC_PROFILE"] }

  /// The profile, read and checked; its problems end the command with status 78.
  func load() throws -> SyncProfile {
    let environment = ProcessInfo.processInfo.environment
    // Checked here, not in validate(): with --profiles, a fleet command needs no name.
    guard let name else { throw Say.fail("say which profile: --profile NAME (or set CLEVER_SYNC_PROFILE)", .usage) }
    let path = SyncProfile.locate(name, environment: environment)
    do {
      return try SyncProfile.load(path: path, name: SyncProfile.profileName(name), environment: environment)
    } catch {
      // file:line: error: ... as compilers print them.
      for line in error.lines { Say.raw(line) }
      switch error.kind {
      case .missing: throw ExitCode(ExitStatus.noInput.rawValue)
      case .unreadable: throw ExitCode(ExitStatus.ioError.rawValue)
      case .invalid: throw ExitCode(ExitStatus.configuration.rawValue)
      }
    }
  }

  func engine() throws -> RunEngine {
    let profile = try load()
    do {
      return try RunEngine(profile: profile, environment: ProcessInfo.processInfo.environment, say: Say.line)
    } catch {
      Say.line("clever-sync: error: cannot open the history in \(profile.stateDirectory): \(error) "
        + "(check that its disk has free space and that it is writable)")
      throw ExitCode(ExitStatus.cannotCreate.rawValue)
    }
  }
}

/// Lines for people, on stderr.
enum Say {
  static func line(_ text: String) {
    raw(text.hasPrefix("clever-sync:") ? text : "clever-sync: " + text)
  }

  static func raw(_ text: String) {
    // Lines quote a profile's text and the stages' closing lines: never a control character.
    let bytes = Array(QuotedInput.escaped(text, keepingLines: true).utf8) + [0x0A]
    _ = write(2, bytes, bytes.count)
  }

  static func fail(_ text: String, _ status: ExitStatus) -> ExitCode {
    line("clever-sync: error: \(text)")
    return ExitCode(status.rawValue)
  }
}
