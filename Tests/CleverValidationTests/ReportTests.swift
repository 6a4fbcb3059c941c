import CleverFormat
import CleverValidation
import Foundation
import RecordStream
import Testing
import RosterRecords

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The counts behind the summary lines and the `validation` record.
@Suite struct CountTests {
  @Test func reportsCountRowsErrorsWarningsAndDroppedRows() {
    let office = CleverSpec.districtOfficeSchoolID
    let records = [
      school("S1"),
      teacher("T1"),
      student("ST1", contacts: [contact("A"), contact("B")]),  // 2 rows, fine
      student("ST2", ["Last_name": ""], contacts: [contact("C")]),  // E_REQUIRED: 1 row dropped
      student("ST3", contacts: [contact("D"), contact("E", ["Contact_type": ""])]),  // E_CONTACT_INCOMPLETE: 1 of 2 rows
      student("ST1"),  // E_DUPLICATE_ID: 1 row dropped
      section("SE1"),
      section("SE2"),  // W_EMPTY_SECTION
      enrollment(section: "SE1", student: "ST1"),
      enrollment(section: "SE1", student: "ST2"),  // E_LOST
      enrollment(section: "SE1", student: "ST9"),  // E_UNKNOWN_STUDENT
      staff("F1", school: "S1", email: "f1@example.org"),
      staff("F1", school: office, email: "f1@example.org"),  // one staff member, two schools: fine
      staff("F2", school: "S1", email: "F1@example.org"),  // E_DUPLICATE_EMAIL
    ]
    let run = ValidationRun(records)
    #expect(run.codes == codes(.required, .contactIncomplete, .duplicateID, .emptySection, .lost, .unknownStudent, .duplicateEmail))

    func report(rows: Int, records: Int, errors: Int = 0, warnings: Int = 0, dropped: Int = 0) -> FileReport {
      var report = FileReport()
      report.rows = rows
      report.records = records
      report.errors = errors
      report.warnings = warnings
      report.droppedRows = dropped
      return report
    }
    #expect(run.report(.schools) == report(rows: 1, records: 1))
    #expect(run.report(.teachers) == report(rows: 1, records: 1))
    #expect(run.report(.students) == report(rows: 6, records: 4, errors: 3, dropped: 3))
    #expect(run.report(.sections) == report(rows: 2, records: 2, warnings: 1))
    #expect(run.report(.enrollments) == report(rows: 3, records: 3, errors: 2, dropped: 2))
    #expect(run.report(.staff) == report(rows: 3, records: 3, errors: 1, dropped: 1))
    #expect(run.validator.errorCount == 6)
    #expect(run.validator.warningCount == 1)
    #expect(run.validator.recordCount == 14)
    #expect(run.report(.students).line(name: "students.csv") == "students.csv: 6 rows, 3 errors, 0 warnings, 3 rows Clever would drop")
  }

  @Test func errorCountMatchesTheErrorsReported() {
    let run = ValidationRun([school("S1", ["School_zip": "1"]), student(["Grade": "x"]), student(["DOB": "1/1/2020"]),
                             section(teacher: ""), enrollment(section: "SE9")])
    let errors = run.diagnostics.filter { $0.severity == .error }.count
    #expect(run.validator.errorCount == errors)
    #expect(run.validator.warningCount == run.diagnostics.count - errors)
  }

  @Test func csvReportsCountPhysicalRowsAndRaggedRows() throws {
    let directory = try CSVCase.directory([
      "students.csv": Array(("School_id,Student_id,Last_name,First_name,Grade,Contact_name,Contact_type\r\n"
        + "S1,ST1,Park,Hazel,1,\"Laura\r\nPark\",Parent/Guardian\r\n"
        + "S1,ST1,Park,Hazel,1,Mark Park,Emergency\r\n"
        + "S1,ST2,Lee\r\n"
        + "S1,ST1,Park,Hazel,2,Ann Park,Emergency\r\n").utf8),
    ])
    defer { directory.remove() }
    let run = try CSVRun(directory: directory.path)
    #expect(run.codes == codes(.rowFields, .contactRowsDiffer))
    // Physical lines: the quoted line break moves every later row down one line.
    #expect(run.diagnostics.first { $0.code == "E_ROW_FIELDS" }?.line == 5)
    #expect(run.diagnostics.first { $0.code == "E_CONTACT_ROWS_DIFFER" }?.line == 6)
    #expect(run.diagnostics.first { $0.code == "E_CONTACT_ROWS_DIFFER" }?.message.contains("students.csv:2") == true)
    #expect(run.report(.students).rows == 4)
    #expect(run.report(.students).records == 3)
    #expect(run.report(.students).droppedRows == 2)
    #expect(run.report(.students).errors == 2)
  }
}

/// How many places are kept per unresolved reference (`placesPerReference`): the rows
/// past the limit are counted, and summarised in one line for people (a note, not a
/// finding).
@Suite struct PlacesPerReferenceTests {
  @Test func twentyFiveRowsNamingOneMissingSchoolWithLimitTwenty() {
    let records = (1...25).map { student("ST\($0)", school: "S9") }
    let run = ValidationRun([school("S1")] + records, options: .init(placesPerReference: 20))
    #expect(run.diagnostics.count == 20)
    #expect(run.diagnostics.allSatisfy { $0.code == "E_UNKNOWN_SCHOOL" && $0.file == "<stdin>" && $0.line != nil })
    #expect(run.diagnostics.map(\.line) == Array(2...21), "the first twenty, in input order")
    #expect(run.notes.count == 1)
    let summary = run.notes.first ?? ""
    #expect(summary.contains("... and 5 more rows name school \"S9\""), "\(summary)")
    #expect(summary.contains("[E_UNKNOWN_SCHOOL]"), "\(summary)")
    #expect(run.validator.errorCount == 25)
    #expect(run.report(.students).errors == 25)
    #expect(run.report(.students).droppedRows == 25)
  }

  @Test func theLimitSpansFilesAndCountsEachFile() {
    let records = (1...15).map { student("ST\($0)", school: "S9") } + (1...10).map { teacher("T\($0)", school: "S9") }
    let run = ValidationRun(records, options: .init(placesPerReference: 20))
    #expect(run.diagnostics.count == 20)
    #expect(run.diagnostics.filter { $0.recordType == "clever.teacher" }.count == 5)
    #expect(run.notes.count == 1)
    #expect(run.report(.students).errors == 15)
    #expect(run.report(.teachers).errors == 10)
    #expect(run.report(.teachers).droppedRows == 10)
    #expect(run.validator.errorCount == 25)
  }

  @Test func withoutALimitEveryRowIsPlaced() {
    let records = (1...25).map { student("ST\($0)", school: "S9") }
    let run = ValidationRun(records, options: .init(placesPerReference: nil))
    #expect(run.diagnostics.count == 25)
    #expect(run.diagnostics.allSatisfy { $0.line != nil })
    #expect(run.notes.isEmpty)
    #expect(run.validator.errorCount == 25)
  }

  @Test func exactlyTheLimitNeedsNoSummary() {
    let run = ValidationRun((1...20).map { student("ST\($0)", school: "S9") }, options: .init(placesPerReference: 20))
    #expect(run.diagnostics.count == 20)
    #expect(run.notes.isEmpty)
  }

  @Test func lostRowsPastTheLimitAreCountedToo() {
    // Schools last: 23 students wait on a school that turns out rejected.
    let records = (1...23).map { student("ST\($0)") } + [school("S1", ["School_name": ""])]
    let run = ValidationRun(records, options: .init(placesPerReference: 20))
    #expect(run.diagnostics(.lost).count == 20)
    #expect(run.notes.first?.contains("... and 3 more") == true, "\(run.notes)")
    #expect(run.notes.first?.contains("[E_LOST]") == true, "\(run.notes)")
    #expect(run.report(.students).errors == 23)
    #expect(run.report(.students).droppedRows == 23)
    #expect(run.validator.errorCount == 24)
  }
}

/// The JUnit report is XML a CI system can read: parsed back with XMLParser.
@Suite struct JUnitReportTests {
  /// What XMLParser saw: elements with their attributes, and text.
  final class Parsed: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
      elements.append((name, attributes))
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func all(_ name: String) -> [[String: String]] { elements.filter { $0.name == name }.map(\.attributes) }
  }

  static func parse(_ xml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Parsed {
    let parsed = Parsed()
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = parsed
    let ok = parser.parse()
    #expect(ok, "not well-formed: \(String(describing: parser.parserError))\n\(xml)", sourceLocation: sourceLocation)
    return parsed
  }

  static let files = CSVSetValidation.order.map(\.fileName)

  @Test func reportOfARunIsWellFormedAndCountsMatch() {
    var junit = JUnitReport()
    let records = [
      school("S1", ["School_name": "Lincoln <Academy> & \"Friends\""]),
      student("ST1", ["School_id": "\u{1}bad\u{7}'school'"]),  // E_CONTROL_CHAR, and E_UNKNOWN_SCHOOL quoting them
      student("ST2", ["Last_name": ""]),  // E_REQUIRED
      student("ST3", ["School_id": "<5&5>"]),  // E_UNKNOWN_SCHOOL
      teacher(), section("SE1"), section("SE2"),  // SE2: W_EMPTY_SECTION
      enrollment(section: "SE1", student: "ST2"),  // E_LOST, and so SE1 is empty too
    ]
    var diagnostics: [Diagnostic] = []
    let validator = CleverValidator { diagnostic in
      diagnostics.append(diagnostic)
    }
    for (index, record) in records.enumerated() {
      validator.check(record, source: record.file.fileName, line: index + 2)
    }
    validator.finish()
    for diagnostic in diagnostics { junit.add(diagnostic) }
    let errors = diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 5, "E_CONTROL_CHAR, E_UNKNOWN_SCHOOL twice, E_REQUIRED, E_LOST: \(diagnostics.map(\.code))")
    #expect(diagnostics.count == 7, "and two W_EMPTY_SECTION: \(diagnostics.map(\.code))")

    let xml = junit.xml(files: Self.files)
    #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
    let parsed = Self.parse(xml)
    let root = parsed.all("testsuites")
    #expect(root.count == 1)
    let suites = parsed.all("testsuite")
    #expect(suites.map { $0["name"] } == Self.files, "one suite per file, in order")
    let failures = parsed.all("failure")
    #expect(failures.count == errors.count)
    #expect(Set(failures.compactMap { $0["type"] }) == Set(errors.map(\.code)))
    #expect(root.first?["failures"] == String(errors.count))
    let testCases = parsed.all("testcase")
    #expect(root.first?["tests"] == String(testCases.count))
    #expect(suites.compactMap { Int($0["tests"] ?? "") }.reduce(0, +) == testCases.count)
    #expect(suites.compactMap { Int($0["failures"] ?? "") }.reduce(0, +) == failures.count)
    // A file without findings is one passing test case.
    let staffSuite = suites.first { $0["name"] == "staff.csv" }
    #expect(staffSuite?["tests"] == "1")
    #expect(staffSuite?["failures"] == "0")
    // The escaped message reads back as it was (control characters become '?').
    let schools = failures.filter { $0["type"] == "E_UNKNOWN_SCHOOL" }.map { $0["message"] ?? "" }
    #expect(schools.contains { $0.contains("\"<5&5>\"") }, "\(schools)")
    #expect(schools.contains { $0.contains("\"?bad?'school'\"") }, "\(schools)")
    // Warnings are reported as system-out of their file.
    #expect(parsed.text.contains("2 warnings"))
    #expect(failures.first { $0["type"] == "E_REQUIRED" } != nil)
    let requiredCase = parsed.all("testcase").first { $0["classname"] == "E_REQUIRED" }
    #expect(requiredCase?["name"] == "students.csv:4")
  }

  @Test func anEmptyRunIsOnePassingCasePerFile() {
    let parsed = Self.parse(JUnitReport().xml(files: Self.files))
    #expect(parsed.all("testsuite").count == 6)
    #expect(parsed.all("testcase").count == 6)
    #expect(parsed.all("failure").isEmpty)
    #expect(parsed.all("testsuites").first?["tests"] == "6")
    #expect(parsed.all("testsuites").first?["failures"] == "0")
  }

  @Test func strictMakesWarningsFailures() {
    var junit = JUnitReport(strict: true)
    junit.add(Diagnostic(.warning, "W_EMPTY_SECTION", "section has no enrollments", file: "sections.csv", line: 2))
    let parsed = Self.parse(junit.xml(files: Self.files))
    #expect(parsed.all("failure").map { $0["type"] } == ["W_EMPTY_SECTION"])
    #expect(parsed.all("testsuites").first?["failures"] == "1")
    let plain = Self.parse({ var j = JUnitReport(); j.add(Diagnostic(.warning, "W_EMPTY_SECTION", "m", file: "sections.csv")); return j }()
      .xml(files: Self.files))
    #expect(plain.all("failure").isEmpty)
    #expect(plain.text.contains("1 warning"))
  }

  @Test func streamsHaveASuitePerRecordType() {
    var junit = JUnitReport(byRecordType: true)
    junit.add(Diagnostic(.error, "E_GRADE", "bad", file: "<stdin>", line: 3, recordType: "clever.student"))
    let types = CleverFile.allCases.map(\.recordType)
    let parsed = Self.parse(junit.xml(files: types))
    #expect(parsed.all("testsuite").map { $0["name"] ?? "" } == types)
    #expect(parsed.all("testsuite").first { $0["name"] == "clever.student" }?["failures"] == "1")
    #expect(parsed.all("testcase").first { $0["classname"] == "E_GRADE" }?["name"] == "clever.student:3")
  }

  @Test func failuresPastTheCapAreOneCase() {
    var junit = JUnitReport()
    let count = JUnitReport.failuresPerFile + 5
    for line in 1...count {
      junit.add(Diagnostic(.error, "E_GRADE", "bad grade", file: "students.csv", line: line))
    }
    junit.add(Diagnostic(.error, "E_UNKNOWN_SCHOOL", "... and 5 more rows name school \"S9\""))
    let parsed = Self.parse(junit.xml(files: ["students.csv"]))
    let suites = parsed.all("testsuite")
    #expect(suites.map { $0["name"] } == ["students.csv", "validation"], "a finding without a file has its own suite")
    #expect(suites.first?["tests"] == String(JUnitReport.failuresPerFile + 1))
    #expect(suites.first?["failures"] == String(JUnitReport.failuresPerFile + 1))
    #expect(parsed.all("failure").count == JUnitReport.failuresPerFile + 2)
    #expect(parsed.all("failure").contains { $0["message"] == "5 more errors not listed" })
    #expect(parsed.all("testsuites").first?["failures"] == String(JUnitReport.failuresPerFile + 2))
  }
}
