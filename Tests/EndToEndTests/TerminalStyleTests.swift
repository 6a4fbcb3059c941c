import Foundation
import Testing
@testable import TestHarness

/// Colour and redrawn lines only on a terminal, never with `NO_COLOR` set to a value
/// that is not empty (https://no-color.org): qs-extract's progress line, and the
/// coloured `error:` of every stage. sftp-put's progress and clever-sync's status line
/// are tested where their servers are (SFTPTransferTests, CleverSyncTests).
@Suite struct TerminalStyleTests {
  static let dump = Tool.repository.appendingPathComponent("examples/lincoln-academy/dump").path

  /// A command line of `tool` that writes something styled on a terminal: the
  /// progress line of a replay, or an error for a line that is not a record.
  private func command(_ tool: String, in scratch: TempDirectory) throws -> String {
    let bad = try scratch.write("bad.ndjson", "[1]\n")
    switch tool {
    case "qs-extract": return "qs-extract --from '\(Self.dump)' > /dev/null"
    case "clever-csv": return "clever-csv -o '\(scratch.path)/out' < '\(bad)' > /dev/null"
    default: return "\(tool) < '\(bad)' > /dev/null"
    }
  }

  static let tools = ["qs-extract", "clever-map", "clever-validate", "clever-csv"]

  @Test(arguments: tools) func aTerminalGetsColourAndRedraws(_ tool: String) throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let command = try command(tool, in: scratch)
    // NO_COLOR set but empty counts as unset.
    for environment in [[:], ["NO_COLOR": ""]] {
      let result = try PseudoTerminal.run(command, environment: environment)
      #expect(result.count("\u{1B}[") > 0, "\(environment): \(result.text.debugDescription)")
      if tool == "qs-extract" { #expect(result.count("\r") > 0, "the progress line: \(result.text.debugDescription)") }
    }
  }

  @Test(arguments: tools) func noColourSetMeansNoEscapeAndNoRedraw(_ tool: String) throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let result = try PseudoTerminal.run(try command(tool, in: scratch), environment: ["NO_COLOR": "1"])
    #expect(result.text.contains("\(tool): "), "it said something: \(result.text.debugDescription)")
    #expect(result.count("\u{1B}") == 0 && result.count("\r") == 0, "\(result.text.debugDescription)")
  }

  /// Standard error a pipe, the terminal after it: nothing styled reaches it.
  @Test(arguments: tools) func aPipeGetsNoEscapeAndNoRedraw(_ tool: String) throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let result = try PseudoTerminal.run("{ \(try command(tool, in: scratch)); } 2>&1 | cat >&2")
    #expect(result.text.contains("\(tool): "), "it said something: \(result.text.debugDescription)")
    #expect(result.count("\u{1B}") == 0 && result.count("\r") == 0, "\(result.text.debugDescription)")
  }
}
