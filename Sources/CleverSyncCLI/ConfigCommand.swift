import ArgumentParser
import StageCLI

/// `clever-sync config check`: reads the profile and names the line of each mistake.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Check a profile.", subcommands: [Check.self])

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read the profile and report every mistake with its line (exit 78), or what it says.")
    @OptionGroup var options: ProfileOption

    func run() throws {
      let profile = try options.load()
      print("ok: \(profile.path)")
      print("  time zone    \(profile.timeZone)")
      print("  source       \(profile.quickschools.fromDump.map { "saved dump \($0)" } ?? "QuickSchools API")")
      print("  destination  \(profile.sftp.destination)")
      print("  state        \(profile.stateDirectory)")
      let limits = profile.guardPercents.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)%" }
      print("  guard        removals at most: \(limits.joined(separator: ", "))")
      print("  retention    \(profile.retainedRuns) runs")
      if !profile.blackouts.isEmpty { print("  blackouts    \(profile.blackouts.map(\.description).joined(separator: ", "))") }
    }
  }
}
