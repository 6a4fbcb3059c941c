#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import Foundation
import StageCLI

/// `clever-sync health`: the probe of a daemon started with `--health-file`. One stat:
/// no profile, history or network is touched, so a probe every few seconds costs nothing.
struct HealthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "health",
    abstract: "Exit 0 when a daemon's --health-file was touched less than --max-age seconds ago, else 1.")
  @Option(name: .long, help: ArgumentHelp("The file the daemon was given with --health-file.", valueName: "path"))
  var file: String
  @Option(name: .customLong("max-age"), help: ArgumentHelp("How old the file may be, in seconds.", valueName: "seconds"))
  var maxAge: Double = 60

  func validate() throws { guard maxAge > 0 else { throw ValidationError("--max-age must be more than 0 seconds") } }

  func run() throws {
    var info = stat()
    guard stat(file, &info) == 0 else {
      throw Say.fail("\(file): \(String(cString: strerror(errno))): no daemon with --health-file \(file) "
        + "has read its profiles yet", .problemsFound)
    }
    let touched = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    let age = Date().timeIntervalSince1970 - touched
    guard age < maxAge else {
      let limit = maxAge == maxAge.rounded() ? String(Int(maxAge)) : String(maxAge)
      throw Say.fail("\(file): last touched \(Int(age)) s ago, more than --max-age \(limit): "
        + "the daemon stopped or its loop is stuck", .problemsFound)
    }
    print("healthy: \(file) touched \(Int(max(age, 0))) s ago")
  }
}
