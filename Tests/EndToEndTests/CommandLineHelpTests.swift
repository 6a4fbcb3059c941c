import Foundation
import Testing

/// What a user meets at the command line before any work: a mistyped option or
/// subcommand answered with the one meant, and help that reads well in an 80-column
/// terminal. Every command of every tool is found from the tool's own description
/// (`--experimental-dump-help`), so a new subcommand is covered without a change here.
struct CommandLineHelpTests {
  static let tools = ["qs-extract", "clever-map", "clever-validate", "clever-csv", "sftp-put", "clever-sync"]

  @Test(arguments: [
    // A required option missing as well: argument-parser alone reported only that.
    ("clever-csv", ["--ouput", "x"], "Unknown option '--ouput'. Did you mean '--output'?", "clever-csv write --help"),
    ("clever-csv", ["write", "-o", "x", "--forse"], "Unknown option '--forse'. Did you mean '--force'?", "clever-csv write --help"),
    ("clever-csv", ["read", "--normalise", "x"], "Did you mean '--normalize'?", "clever-csv read --help"),
    // Two letters swapped: one edit, nearer than --term.
    ("qs-extract", ["--form", "dump"], "Unknown option '--form'. Did you mean '--from'?", "qs-extract --help"),
    ("clever-map", ["--strict-grade"], "Did you mean '--strict-grades'?", "clever-map --help"),
    ("clever-validate", ["--stirct"], "Did you mean '--strict'?", "clever-validate --help"),
    ("sftp-put", ["--pasword-file", "p", "file:///tmp/x"], "Did you mean '--password-file'?", "sftp-put --help"),
    // The profile's validation would have spoken first.
    ("clever-sync", ["schedule", "add", "--profil", "x"], "Unknown option '--profil'. Did you mean '--profile'?",
     "clever-sync schedule add --help"),
    ("clever-sync", ["histroy"], "Unknown subcommand 'histroy'. Did you mean 'history'?", "clever-sync --help"),
    ("clever-sync", ["schedule", "lst"], "Unknown subcommand 'lst'. Did you mean 'list'?", "clever-sync schedule --help"),
  ])
  func aTypoIsAnsweredWithTheNameMeant(tool: String, arguments: [String], message: String, help: String) throws {
    let result = try Tool.run(tool, arguments)
    #expect(result.status == 64, "\(tool) \(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(tool) \(arguments): \(result.stderr)")
    #expect(result.stderr.contains("See '\(help)' for more information."), "\(result.stderr)")
  }

  @Test func anOptionsValueAndWhatFollowsDashDashAreNotTypos() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    // After `--`, a file whose name starts with dashes.
    let file = try Tool.run("clever-csv", ["write", "--output", scratch.path + "/out", "--", "--notes.ndjson"])
    #expect(file.status != 64 && !file.stderr.contains("Unknown"), "\(file.stderr)")
    // A value that is also a subcommand's name, or near one.
    let value = try Tool.run("clever-sync", ["history", "--profile", "histroy"])
    #expect(value.status != 64 && !value.stderr.contains("Unknown"), "\(value.stderr)")
  }

  @Test func everyHelpFitsAnEightyColumnTerminal() throws {
    var problems: [String] = []
    for tool in Self.tools {
      for command in try Self.commands(of: tool) {
        let help = try Tool.shell("COLUMNS=80 \(tool) \(command.joined(separator: " ")) --help")
        #expect(help.status == 0)
        let name = ([tool] + command).joined(separator: " ")
        for line in help.text.split(separator: "\n", omittingEmptySubsequences: true) {
          let words = line.split(separator: " ")
          if line.count > 80 { problems.append("\(name): \(line.count) columns: \(line)") }
          // A word alone is a wrapped line's end; a heading, an option's or an argument's
          // name on a line of its own (its help follows below) is not.
          if words.count == 1, let word = words.first, !word.hasSuffix(":"), !word.hasPrefix("-"), !word.hasPrefix("<") {
            problems.append("\(name): a line holds one word: \(line)")
          }
        }
      }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// Every command path of a tool, the root's `[]` first, argument-parser's `help` left out.
  static func commands(of tool: String) throws -> [[String]] {
    let dump = try Tool.run(tool, ["--experimental-dump-help"])
    let root = try #require(try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any])
    func walk(_ command: [String: Any], _ path: [String]) -> [[String]] {
      let subs = (command["subcommands"] as? [[String: Any]]) ?? []
      return [path] + subs.flatMap { sub -> [[String]] in
        guard let name = sub["commandName"] as? String, name != "help" else { return [] }
        return walk(sub, path + [name])
      }
    }
    return walk(try #require(root["command"] as? [String: Any]), [])
  }
}
