import CleverMapping
import CleverValidation
import QuickSchoolsAPI
import Foundation
import Testing

/// The manual is tested: every code the tools can emit is documented, and the pages are
/// clean for mandoc.
struct ManualTests {
  static let man = Tool.repository.appendingPathComponent("man")

  private func page(_ name: String) throws -> String {
    try String(contentsOf: Self.man.appendingPathComponent(name), encoding: .utf8)
  }

  @Test func cleverMapPageListsEveryCode() throws {
    let text = try page("clever-map.1")
    let streamCodes = ["E_JSON", "E_NOT_OBJECT", "E_NO_TYPE", "E_UTF8", "E_LINE_TOO_LONG", "E_FIELD_TYPE", "E_MISSING_KEY"]
    for code in MappingCode.allCases.map(\.rawValue) + streamCodes {
      #expect(text.contains(code), "clever-map.1 does not document \(code)")
    }
  }

  @Test func cleverCSVPageListsEveryCode() throws {
    let text = try page("clever-csv.1")
    for code in ["E_VALIDATION", "E_EMPTY", "E_INCOMPLETE", "E_OUTPUT", "E_MISSING_FILE", "E_CSV", "E_CSV_FIELDS",
                 "E_CSV_HEADER", "E_CSV_EMPTY"] {
      #expect(text.contains(code), "clever-csv.1 does not document \(code)")
    }
  }

  @Test func cleverValidatePageListsEveryCodeWithItsMeaning() throws {
    let text = try page("clever-validate.1")
    for code in ValidationCode.allCases.map(\.rawValue) + ["E_UNREADABLE"] {
      #expect(text.contains(".It Sy \(code)"), "clever-validate.1 does not document \(code) in DIAGNOSTICS")
    }
  }

  /// The manual's tier table and the code's are one: every code once, in its tier.
  @Test func cleverValidatePageGivesEveryCodeItsTier() throws {
    let text = try page("clever-validate.1")
    let table = try #require(text.components(separatedBy: ".Ss Tiers\n").dropFirst().first?
      .components(separatedBy: "\n.El\n").first)
    let rows = table.split(separator: "\n").filter { $0.hasPrefix(".It Sy ") }.map { line in
      line.dropFirst(".It Sy ".count).components(separatedBy: " Ta ")
    }
    #expect(rows.map { $0[0] }.sorted() == ValidationCode.allCases.map(\.rawValue).sorted())
    for row in rows {
      let code = try #require(ValidationCode(rawValue: row[0]))
      #expect(row[1] == code.severity.rawValue, "\(row[0]) is \(code.severity) in the code, \(row[1]) in the manual")
    }
  }

  /// sftp-put's codes are spread over its module: every `code: "E_..."` in the sources
  /// must be in the page's DIAGNOSTICS.
  @Test func sftpPutPageListsEveryCodeItsSourcesEmit() throws {
    let text = try page("sftp-put.1")
    var codes = Set<String>()
    for folder in ["Sources/SFTPTransfer", "Sources/Commands/SFTPPut"] {
      let url = Tool.repository.appendingPathComponent(folder)
      for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".swift") {
        let source = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        for part in source.components(separatedBy: "code: \"E_").dropFirst() {
          codes.insert("E_" + part.prefix { $0.isUppercase || $0 == "_" })
        }
      }
    }
    #expect(codes.count >= 15)
    for code in codes.sorted() { #expect(text.contains(".It Sy \(code)"), "sftp-put.1 does not document \(code)") }
  }

  @Test func qsExtractPageListsEveryCodeWithItsMeaning() throws {
    let text = try page("qs-extract.1")
    for code in ExtractCode.allCases.map(\.rawValue) {
      #expect(text.contains(".It Sy \(code)"), "qs-extract.1 does not document \(code) in DIAGNOSTICS")
    }
  }

  @Test func everyOptionOfEveryToolIsInItsPage() throws {
    for (tool, pageName) in [("qs-extract", "qs-extract.1"), ("clever-map", "clever-map.1"), ("clever-csv", "clever-csv.1"),
                             ("clever-validate", "clever-validate.1"), ("sftp-put", "sftp-put.1")] {
      let text = try page(pageName)
      var help = try Tool.run(tool, ["--help"]).text
      if tool == "clever-csv" { help += try Tool.run(tool, ["write", "--help"]).text }
      let options = Set(help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," || $0 == "=" })
        .filter { $0.hasPrefix("--") && $0.count > 2 }.map { String($0).trimmingCharacters(in: .punctuationCharacters) })
      #expect(!options.isEmpty)
      for option in options where option != "help" && option != "version" {
        #expect(text.contains("Fl -" + option) || text.contains("\\-\\-" + option), "\(pageName) lacks --\(option)")
      }
    }
  }

  /// clever-sync's options are spread over its subcommands: each one's --help.
  @Test func everyOptionOfEveryCleverSyncCommandIsInItsPage() throws {
    let text = try page("clever-sync.1")
    let commands = [["config", "check"], ["run"], ["schedule", "add"], ["schedule", "list"], ["schedule", "edit"],
                    ["schedule", "remove"], ["tick"], ["daemon"], ["history"], ["show"], ["approve"], ["test-connection"]]
    for command in commands {
      #expect(text.contains(command.joined(separator: " ")), "clever-sync.1 lacks \(command.joined(separator: " "))")
      let help = try Tool.run("clever-sync", command + ["--help"]).text
      let options = Set(help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," || $0 == "=" })
        .filter { $0.hasPrefix("--") && $0.count > 2 }.map { String($0).trimmingCharacters(in: .punctuationCharacters) })
      #expect(options.contains("profile"))
      for option in options where option != "help" && option != "version" {
        #expect(text.contains("Fl -" + option), "clever-sync.1 lacks --\(option) of \(command.joined(separator: " "))")
      }
    }
  }

  @Test func pagesAreCleanUnderMandocLint() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mandoc") else {
      Issue.record("mandoc is not installed: run .ci/setup")
      return
    }
    let pages = try FileManager.default.contentsOfDirectory(atPath: Self.man.path).filter { $0.contains(".") }
      .map { Self.man.appendingPathComponent($0).path }
    #expect(pages.count >= 3)
    let result = try Tool.run("/usr/bin/mandoc", ["-Tlint", "-W", "warning"] + pages)
    #expect(result.text.isEmpty && result.stderr.isEmpty, "\(result.text)\(result.stderr)")
  }
}
