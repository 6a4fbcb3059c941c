import CleverFormat
import CleverMapping
import CleverValidation
import QuickSchoolsAPI
import RosterRecords
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
                 "E_CSV_HEADER", "E_CSV_EMPTY", "E_CONTROL_CHAR"] {
      #expect(text.contains(code), "clever-csv.1 does not document \(code)")
    }
  }

  @Test func cleverValidatePageListsEveryCodeWithItsMeaning() throws {
    let text = try page("clever-validate.1")
    for code in ValidationCode.allCases.map(\.rawValue) + ["E_UNREADABLE", "E_EMPTY"] {
      #expect(text.contains(".It Sy \(code)"), "clever-validate.1 does not document \(code) in DIAGNOSTICS")
    }
  }

  /// roster-records(5) and the contract's types agree: every type the page documents,
  /// with exactly the keys its encoder writes and its decoder reads, and the other way
  /// round.
  @Test func rosterRecordsPageAndTheRecordTypesAgree() throws {
    let lines = try page("roster-records.5").components(separatedBy: "\n")
    let identifier = try Regex("^[A-Za-z][A-Za-z0-9_]*$")
    var documented: [String: [String]] = [:]
    var current: String?
    var list = false  // clever.* keys are written as lists, the others as tables
    for (index, line) in lines.enumerated() {
      let words = line.split(separator: " ").map(String.init)
      let next = index + 1 < lines.count ? lines[index + 1] : ""
      // A type's heading: ".Li qs.school" before "\(em ...", ".Li qs.teacher :",
      // ".It Li clever.school", or the guardian object's ".Li guardians :".
      if words.count >= 2, words[0] == ".Li", RecordTypes.all[words[1]] != nil || words[1] == "guardians",
        words.count == 2 && next.hasPrefix("\\(em") || words.count == 3 && words[2] == ":"
      {
        current = words[1]
        list = false
        continue
      }
      if words.count == 3, words[0] == ".It", words[1] == "Li", words[2].hasPrefix("clever.") {
        current = words[2]
        list = true
        continue
      }
      guard let type = current else { continue }
      if list, words.first == ".Li" {
        documented[type, default: []] += words.dropFirst().filter { $0.wholeMatch(of: identifier) != nil }
      } else if list, line.hasPrefix(".It ") || line == ".El" {
        current = nil
      } else if !list, words.count > 3, words[0] == ".It", words[1] == "Li", words[3] == "Ta" {
        documented[type, default: []].append(words[2])
      } else if !list, line == ".El" {
        current = nil
      }
    }
    // The page writes the nine co-teacher columns as a range.
    if documented["clever.section"]?.contains("Teacher_10_id") == true {
      documented["clever.section"]! += (3...9).map { "Teacher_\($0)_id" }
    }
    let student = documented["clever.student"] ?? []
    documented["clever.student"] = student.filter { !$0.hasPrefix("Contact_") }
    #expect(Set(student.filter { $0.hasPrefix("Contact_") }) == Set(RecordTypes.contactKeys))
    #expect(Set(documented.removeValue(forKey: "guardians") ?? []) == Set(QSGuardian.keys))
    #expect(Set(documented.keys) == Set(RecordTypes.all.keys), "types documented vs in the code")
    for (type, keys) in RecordTypes.all.sorted(by: { $0.key < $1.key }) {
      #expect(Set(documented[type] ?? []) == Set(keys), "\(type): the page and the code differ")
    }
  }

  /// clever-csv(1)'s FILES section lists every file's columns in the order the header
  /// row is written: the spec table's order.
  @Test func cleverCSVPageListsEveryFilesColumnsInTheSpecOrder() throws {
    let text = try page("clever-csv.1")
    let files = try #require(text.components(separatedBy: ".Sh FILES\n").dropFirst().first?
      .components(separatedBy: "\n.El\n").first)
    var listed: [String: [String]] = [:]
    var current: String?
    for line in files.split(separator: "\n").map(String.init) {
      if line.hasPrefix(".It Pa ") {
        current = String(line.dropFirst(".It Pa ".count))
      } else if let file = current, line.hasPrefix(".Li ") {
        listed[file, default: []] += line.dropFirst(4).split(separator: " ").map(String.init).filter { $0 != "," }
      }
    }
    for file in CleverFile.allCases {
      var columns = listed[file.fileName] ?? []
      // The nine co-teacher columns are written as a range.
      if let range = columns.firstIndex(of: "Teacher_2_id"), columns.contains("Teacher_10_id") {
        columns.insert(contentsOf: (3...9).map { "Teacher_\($0)_id" }, at: range + 1)
      }
      #expect(columns == file.columns.map(\.name), "\(file.fileName) in clever-csv(1)")
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
    for folder in ["Sources/SFTPTransfer", "Sources/SFTPPutCLI"] {
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
                    ["schedule", "remove"], ["tick"], ["daemon"], ["history"], ["show"], ["approve"], ["test-connection"],
                    ["health"]]
    for command in commands {
      #expect(text.contains(command.joined(separator: " ")), "clever-sync.1 lacks \(command.joined(separator: " "))")
      let help = try Tool.run("clever-sync", command + ["--help"]).text
      let options = Set(help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," || $0 == "=" })
        .filter { $0.hasPrefix("--") && $0.count > 2 }.map { String($0).trimmingCharacters(in: .punctuationCharacters) })
      // `health` looks at a file, not at a profile.
      #expect(options.contains(command == ["health"] ? "file" : "profile"))
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
