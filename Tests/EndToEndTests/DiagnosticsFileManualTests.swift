import Foundation
import Testing

/// What each tool's manual says about a `--diagnostics` file that cannot be created is
/// what the tool does: the exit status its EXIT STATUS section gives it, said nowhere
/// else otherwise, and a message that names the file.
@Suite struct DiagnosticsFileManualTests {
  /// Every command that takes `--diagnostics`, with arguments that would otherwise run.
  static let runs: [(command: String, arguments: [String])] = [
    ("qs-extract", ["--from", Tool.repository.appendingPathComponent("examples/lincoln-academy/dump").path]),
    ("clever-map", [Tool.exampleSchool]),
    ("clever-validate", []),
    ("clever-csv write", ["-o", FileManager.default.temporaryDirectory.appendingPathComponent("unused-\(UUID())").path]),
  ]
  /// Every command of the six tools.
  static let commands = ["qs-extract", "clever-map", "clever-validate", "clever-csv write", "clever-csv read", "sftp-put"]
    + ["config", "run", "schedule", "tick", "daemon", "history", "show", "approve", "test-connection"].map { "clever-sync " + $0 }

  /// The manual's text cut where mdoc starts a new item or paragraph.
  private func paragraphs(_ page: String) throws -> [String] {
    let text = try String(contentsOf: Tool.repository.appendingPathComponent("man/\(page)"), encoding: .utf8)
    var result: [String] = []
    for line in text.components(separatedBy: "\n") {
      if [".It", ".Pp", ".Sh", ".Ss", ".El", ".Bl"].contains(where: { line.hasPrefix($0) }) || result.isEmpty {
        result.append(line)
      } else {
        result[result.count - 1] += "\n" + line
      }
    }
    return result
  }

  /// The statuses of EXIT STATUS whose entry names `--diagnostics`.
  private func documentedStatuses(_ paragraphs: [String]) -> [Int32] {
    guard let start = paragraphs.firstIndex(where: { $0.hasPrefix(".Sh EXIT STATUS") }) else { return [] }
    let section = paragraphs[(start + 1)...].prefix { !$0.hasPrefix(".Sh") }
    return section.compactMap { entry in
      guard entry.hasPrefix(".It "), entry.contains("Fl -diagnostics") else { return nil }
      return Int32(entry.dropFirst(4).prefix { $0.isNumber })
    }
  }

  @Test func everyCommandThatTakesTheOptionIsHere() throws {
    for command in Self.commands {
      let words = command.split(separator: " ").map(String.init)
      let help = try Tool.run(words[0], Array(words.dropFirst()) + ["--help"])
      #expect(help.text.contains("--diagnostics") == Self.runs.contains { $0.command == command }, "\(command) --help")
    }
  }

  @Test(arguments: DiagnosticsFileManualTests.runs.map(\.command))
  func anUncreatableFileGetsTheStatusTheManualGives(_ command: String) throws {
    let arguments = Self.runs.first { $0.command == command }!.arguments
    let words = command.split(separator: " ").map(String.init)
    let tool = words[0]
    let file = "/nonexistent-\(UUID())/diagnostics.ndjson"
    let result = try Tool.run(tool, Array(words.dropFirst()) + ["--diagnostics", file] + arguments)
    #expect(result.stderr.contains("\(tool): error: [E_OUTPUT] cannot create \(file): No such file or directory"),
            "\(result.stderr)")
    let paragraphs = try paragraphs("\(tool).1")
    #expect(documentedStatuses(paragraphs) == [result.status], "\(tool).1's EXIT STATUS, against \(result.status)")
    let status = try Regex(#"status (\d+)"#)
    for paragraph in paragraphs where paragraph.contains("-diagnostics") {
      for match in paragraph.matches(of: status) {
        #expect(paragraph[match.range].dropFirst(7) == "\(result.status)", "\(tool).1 says: \(paragraph)")
      }
    }
  }

  /// The error that ends a run is in the file too, as every page now says.
  @Test(arguments: ["clever-map", "clever-validate", "clever-csv"]) func theErrorThatEndsARunIsInTheFile(_ tool: String)
    throws
  {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let input = try scratch.write("bad.ndjson", "[1]\n")
    let arguments = tool == "clever-csv" ? ["-o", scratch.path + "/out"] : []
    let result = try Tool.run(tool, ["--diagnostics", scratch.path + "/d.ndjson"] + arguments, stdin: input)
    #expect(result.status == 65)
    let written = try String(contentsOfFile: scratch.path + "/d.ndjson", encoding: .utf8)
    #expect(written.contains(#""severity":"error","code":"E_NOT_OBJECT""#), "\(written)")
    for paragraph in try paragraphs("\(tool).1") where paragraph.contains("-diagnostics") {
      #expect(!paragraph.contains("not written"), "\(tool).1 says: \(paragraph)")
    }
  }
}
