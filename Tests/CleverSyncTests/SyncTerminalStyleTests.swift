import Foundation
import Testing
@testable import TestHarness

/// clever-sync redraws (a run's status line on standard error, `history --watch`'s
/// cleared screen on standard output) only on a terminal, and never with `NO_COLOR`
/// set to a value that is not empty.
@Suite struct SyncTerminalStyleTests {
  /// A run from the example dump to a local folder, `wrap` putting the command.
  private func run(_ fixture: SyncFixture, environment: [String: String], wrap: String = "COMMAND") throws
    -> PseudoTerminal.Result
  {
    let command = "clever-sync run --profile '\(fixture.profilePath)'"
    let result = try PseudoTerminal.run(wrap.replacingOccurrences(of: "COMMAND", with: command), environment: environment)
    #expect(result.status == 0, "\(result.text)")
    #expect(result.text.contains("clever-sync: run 1: clever-csv done in"), "\(result.text)")
    return result
  }

  @Test func aTerminalGetsTheStatusLine() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let result = try run(fixture, environment: [:])
    #expect(result.count("\r\u{1B}[Kclever-sync: run 1: ") > 0, "\(result.text.debugDescription)")
  }

  @Test func noColourSetMeansNoStatusLine() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let result = try run(fixture, environment: ["NO_COLOR": "1"])
    #expect(result.count("\u{1B}") == 0 && result.count("\r") == 0, "\(result.text.debugDescription)")
  }

  @Test func aPipeGetsNoStatusLine() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    let result = try run(fixture, environment: [:], wrap: "{ COMMAND; } 2>&1 | cat >&2")
    #expect(result.count("\u{1B}") == 0 && result.count("\r") == 0, "\(result.text.debugDescription)")
  }

  /// `history --watch` for two seconds, its standard output on the terminal or not.
  @Test func historyWatchClearsTheScreenOnlyOnATerminalWithoutNoColour() throws {
    let fixture = try SyncFixture()
    try fixture.write()
    _ = try run(fixture, environment: ["NO_COLOR": "1"])
    let watch = "timeout -k 1 2 clever-sync history --watch --profile '\(fixture.profilePath)'"
    let clear = "\u{1B}[H\u{1B}[2J"
    let shown = try PseudoTerminal.run(watch, stdoutOnTerminal: true)
    #expect(shown.count(clear) == 1 && shown.text.contains("(watching; Ctrl-C ends)"), "\(shown.text.debugDescription)")
    let plain = try PseudoTerminal.run(watch, environment: ["NO_COLOR": "1"], stdoutOnTerminal: true)
    #expect(plain.count("\u{1B}") == 0 && plain.text.contains("(watching; Ctrl-C ends)"), "\(plain.text.debugDescription)")
    let piped = try PseudoTerminal.run("\(watch) | cat", stdoutOnTerminal: true)
    #expect(piped.count("\u{1B}") == 0 && piped.text.contains("(watching; Ctrl-C ends)"), "\(piped.text.debugDescription)")
  }
}
