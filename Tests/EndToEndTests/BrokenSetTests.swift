import CleverValidation
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `clever-validate` over the broken sets in BrokenSets/: each directory must yield
/// exactly the codes its expected-codes.txt lists, the documented exit status, and a
/// `validation` record that counts them.
@Suite struct BrokenSetTests {
  static let root = Tool.repository.appendingPathComponent("Tests/EndToEndTests/BrokenSets")

  static let sets: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/expected-codes.txt").path) }
      .sorted()
  }()

  /// One finding line: `clever-validate: FILE[:LINE]: error|warning: [CODE] message`.
  struct Finding: Equatable {
    let file: String
    let line: Int?
    let severity: String
    let code: String
    let message: String
  }

  /// The findings on stderr; summary lines, stage failures and the "... and N more"
  /// lines (rows past the places kept for one reference) are not findings.
  static func findings(_ stderr: String) throws -> [Finding] {
    let pattern = try Regex(#"^clever-validate: ([^:\s]+)(?::(\d+))?: (error|warning): \[([A-Z_]+)\] (.*)$"#)
    return stderr.split(separator: "\n").compactMap { line -> Finding? in
      guard let match = try? pattern.wholeMatch(in: String(line)) else { return nil }
      let text = { (i: Int) in match.output[i].substring.map(String.init) }
      let message = text(5) ?? ""
      if message.hasPrefix("... and ") { return nil }
      return Finding(file: text(1)!, line: text(2).flatMap { Int($0) }, severity: text(3)!, code: text(4)!, message: message)
    }
  }

  static func expected(_ set: String) throws -> [String] {
    let text = try String(contentsOf: root.appendingPathComponent("\(set)/expected-codes.txt"), encoding: .utf8)
    return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  static func record(_ result: Tool.Result) -> [String: Any]? {
    guard let last = result.lines.last else { return nil }
    return try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
  }

  @Test(arguments: sets) func brokenSet(_ set: String) throws {
    let expected = try Self.expected(set)
    #expect(expected == expected.sorted(), "expected-codes.txt must be sorted")
    let result = try Tool.run("clever-validate", ["--all", Self.root.appendingPathComponent(set).path])
    let findings = try Self.findings(result.stderr)
    #expect(findings.map(\.code).sorted() == expected, "stderr:\n\(result.stderr)")
    for finding in findings {
      #expect(finding.severity == (finding.code.hasPrefix("E_") ? "error" : "warning"), "\(finding)")
      #expect(CSVSetValidation.order.map(\.fileName).contains(finding.file), "\(finding)")
    }

    let errors = expected.filter { $0.hasPrefix("E_") }.count
    let warnings = expected.filter { $0.hasPrefix("W_") }.count
    let status: Int32 = expected.contains("E_CSV") ? 65 : errors > 0 ? 1 : 0
    #expect(result.status == status, "stderr:\n\(result.stderr)")
    #expect(result.lines.count == 1, "stdout is the validation record only: \(result.text)")
    let record = Self.record(result)
    #expect(record?["type"] as? String == "validation")
    #expect(record?["errors"] as? Int == errors, "\(result.text)")
    #expect(record?["warnings"] as? Int == warnings, "\(result.text)")
    #expect(record?["strict"] as? Bool == false)
  }

  @Test func everyCodeHasABrokenSetAndThereAreValidSets() {
    for code in ValidationCode.allCases {
      #expect(Self.sets.contains { $0.hasPrefix(code.rawValue + "-") }, "no broken set for \(code.rawValue)")
    }
    #expect(Self.sets.filter { $0.hasPrefix("valid-") }.count >= 2)
    #expect(Self.sets.count >= ValidationCode.allCases.count)
  }

  @Test(arguments: sets) func setsAreSmall(_ set: String) throws {
    let directory = Self.root.appendingPathComponent(set).path
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
      let size = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int ?? 0
      #expect(size < 8192, "\(set)/\(name) is \(size) bytes")
    }
  }

  /// Without --all each code is printed 20 times; the record still counts every error,
  /// and stderr says how many rows were not shown.
  @Test func withoutAllTheCountsStayAndTheRestIsSummarised() throws {
    let set = "E_EMPTY_FILE-empty-schools"
    let result = try Tool.run("clever-validate", [Self.root.appendingPathComponent(set).path])
    let expected = try Self.expected(set)
    #expect(result.status == 1)
    #expect(Self.record(result)?["errors"] as? Int == expected.count)
    let shown = try Self.findings(result.stderr).filter { $0.code == "E_UNKNOWN_SCHOOL" }
    #expect(shown.count == 20)
    // 38 rows name the missing school: 20 shown, 18 more.
    #expect(result.stderr.contains("18 more"), "stderr must say how many more rows name the school:\n\(result.stderr)")
  }

  @Test func strictCountsWarningsAsErrors() throws {
    let set = Self.root.appendingPathComponent("W_EMPTY_SECTION-section-without-enrollments").path
    let plain = try Tool.run("clever-validate", [set])
    #expect(plain.status == 0, "\(plain.stderr)")
    let strict = try Tool.run("clever-validate", ["--strict", set])
    #expect(strict.status == 1, "\(strict.stderr)")
    let record = Self.record(strict)
    #expect(record?["errors"] as? Int == 1)
    #expect(record?["warnings"] as? Int == 1)
    #expect(record?["strict"] as? Bool == true)
    #expect(strict.stderr.contains("--strict"))
    let valid = try Tool.run("clever-validate", ["--strict", Self.root.appendingPathComponent("valid-base").path])
    #expect(valid.status == 0, "\(valid.stderr)")
  }

  @Test func junitReportIsWrittenAndParses() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let path = scratch.path + "/report.xml"
    let set = "E_LOST-section-of-teacher-without-first-name"
    let result = try Tool.run("clever-validate", ["--all", "--junit", path, Self.root.appendingPathComponent(set).path])
    #expect(result.status == 1)
    let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(permissions == 0o600)

    final class Counter: NSObject, XMLParserDelegate {
      var elements: [String: [[String: String]]] = [:]
      func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                  attributes: [String: String] = [:]) {
        elements[name, default: []].append(attributes)
      }
    }
    let counter = Counter()
    let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
    parser.delegate = counter
    #expect(parser.parse(), "\(String(describing: parser.parserError))")
    let errors = try Self.expected(set).filter { $0.hasPrefix("E_") }.count
    #expect(counter.elements["failure"]?.count == errors)
    #expect(counter.elements["testsuites"]?.first?["failures"] == String(errors))
    #expect(counter.elements["testsuite"]?.map { $0["name"] ?? "" } == CSVSetValidation.order.map(\.fileName))
    let tests = counter.elements["testcase"]?.count ?? 0
    #expect(counter.elements["testsuites"]?.first?["tests"] == String(tests))
  }

  /// Pipeline mode: every input line passes through byte for byte, then one record.
  @Test func pipelinePassesEveryLineThroughAndAppendsOneRecord() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let mapped = try Tool.run("clever-map", [Tool.exampleSchool])
    #expect(mapped.status == 0)
    // A line of a type clever-validate does not know, spaced as no stage writes it.
    let odd = Data(#"{"type":"x.note", "spaced" : [1, 2.50, {"k":"ü"}]}"#.utf8 + [0x0A])
    let input = mapped.stdout + odd
    let path = try scratch.write("in.ndjson", bytes: Array(input))

    let result = try Tool.run("clever-validate", stdin: path)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.count > input.count)
    #expect(result.stdout.prefix(input.count) == input, "every input line, byte for byte, in order")
    let rest = String(decoding: result.stdout.dropFirst(input.count), as: UTF8.self)
    #expect(rest.hasSuffix("\n"))
    #expect(rest.split(separator: "\n").count == 1, "exactly one line appended: \(rest)")
    let record = try JSONSerialization.jsonObject(with: Data(rest.utf8)) as? [String: Any]
    #expect(record?["type"] as? String == "validation")
    // The example school validates clean.
    #expect(record?["errors"] as? Int == 0)
    #expect(record?["warnings"] as? Int == 0)
    let cleverLines = mapped.lines.filter { $0.contains(#""type":"clever."#) }.count
    #expect(record?["records"] as? Int == cleverLines)
    #expect(try Self.findings(result.stderr).isEmpty, "\(result.stderr)")
  }

  @Test func pipelineSkippedLinesAreErrors() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let path = try scratch.write("in.ndjson", """
      {"type":"clever.school","School_id":"1","School_name":"S","School_number":"1"}
      {"type":"clever.student","School_id":"1","Student_id":"p1",
      {"type":"clever.staff","School_id":"1","Staff_id":"f1","Staff_email":"f@example.org","First_name":"A","Last_name":"B"}

      """)
    let result = try Tool.run("clever-validate", ["--keep-going"], stdin: path)
    #expect(result.status == 65, "\(result.stderr)")
    #expect(result.lines.count == 3, "the two good lines and the record")
    #expect(Self.record(result)?["errors"] as? Int == 1, "a skipped line is a record missing downstream")
  }

  @Test func junitOfAStreamHasASuitePerRecordType() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let report = scratch.path + "/report.xml"
    let path = try scratch.write("in.ndjson", """
      {"type":"clever.school","School_id":"1","School_name":"","School_number":"1"}

      """)
    let result = try Tool.run("clever-validate", ["--junit", report], stdin: path)
    #expect(result.status == 1)
    let xml = try String(contentsOfFile: report, encoding: .utf8)
    #expect(xml.contains(#"<testsuite name="clever.school" tests="1" failures="1""#), "\(xml)")
    #expect(XMLParser(data: Data(xml.utf8)).parse())
  }

  @Test func pipelineWithErrorsExitsOneAndCountsThem() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let path = try scratch.write("in.ndjson", """
      {"type":"clever.teacher","School_id":"1","Teacher_id":"t1","First_name":"A","Last_name":"B"}
      {"type":"clever.section","School_id":"1","Section_id":"s1","Teacher_id":""}
      {"type":"clever.student","School_id":"1","Student_id":"p1","First_name":"C","Last_name":"D","contacts":[]}
      {"type":"clever.enrollment","School_id":"1","Section_id":"s1","Student_id":"p1"}
      {"type":"clever.school","School_id":"1","School_name":"S","School_number":"1"}

      """)
    let result = try Tool.run("clever-validate", stdin: path)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.lines.count == 6)
    #expect(Self.record(result)?["errors"] as? Int == 2)
    let findings = try Self.findings(result.stderr)
    #expect(findings.map(\.code).sorted() == ["E_LOST", "E_REQUIRED"])
    #expect(findings.first { $0.code == "E_LOST" }?.line == 4)
    #expect(findings.first { $0.code == "E_REQUIRED" }.map { ($0.file, $0.line) } ?? ("", nil) == ("<stdin>", 2))
  }
}
