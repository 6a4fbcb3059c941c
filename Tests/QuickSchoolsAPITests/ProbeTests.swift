import Foundation
import Testing
@testable import TestHarness

/// `qs-extract --probe` against the API variants a first contact may meet: the verdict,
/// the findings, and a report that holds no value from the answers.
@Suite(.serialized)
struct ProbeTests {
  struct Variant: Sendable, CustomStringConvertible {
    let name: String
    let options: [String]
    let rules: [[String: String]]
    let check: @Sendable ([String: Any]) -> Bool
    var description: String { name }
  }

  static let variants: [Variant] = [
    Variant(name: "as documented", options: [], rules: []) {
      $0["schoolIdentity"] as? String == "/school" && paging($0) == "page" && $0["guardians"] as? String == "inline as parents"
        && extractable($0)
    },
    Variant(name: "no /school", options: [], rules: [["path": "/school"]]) {
      $0["schoolIdentity"] as? String == "/schools" && extractable($0)
    },
    Variant(name: "neither /school nor /schools", options: [], rules: [["path": "/school"], ["path": "/schools"]]) {
      $0["schoolIdentity"] as? String == "none" && !extractable($0) && missing($0).contains { $0.contains("--school") }
    },
    Variant(name: "page under another name", options: ["--page-param", "pageNumber"], rules: []) {
      paging($0) == "pageNumber" && extractable($0)
    },
    Variant(name: "paging ignored", options: ["--ignore-page"], rules: []) { paging($0) == nil },
    Variant(name: "guardians only through /parents", options: ["--parents-listing"], rules: []) {
      $0["guardians"] as? String == "from /parents, linked by students" && extractable($0)
        && spelling($0, "guardian", "relationship") == "relationship"
    },
    Variant(name: "enrollments in the students' lists", options: ["--student-section-ids"], rules: []) {
      ($0["enrollments"] as? String)?.contains("smsClassSubjectSetIdList") == true
    },
  ]

  static func paging(_ school: [String: Any]) -> String? { (school["paging"] as? [String: Any])?["parameter"] as? String }
  static func verdict(_ school: [String: Any]) -> [String: Any] { school["verdict"] as? [String: Any] ?? [:] }
  static func extractable(_ school: [String: Any]) -> Bool { verdict(school)["extractable"] as? Bool == true }
  static func missing(_ school: [String: Any]) -> [String] { verdict(school)["missing"] as? [String] ?? [] }
  static func spelling(_ school: [String: Any], _ object: String, _ field: String) -> String? {
    (school["fields"] as? [[String: Any]])?.first { $0["object"] as? String == object && $0["field"] as? String == field }?[
      "spelling"] as? String
  }

  /// Every string of three characters or more in the example school's records: none may
  /// appear in a report.
  static func fixtureValues() throws -> Set<String> {
    var values = Set<String>()
    func collect(_ value: Any) {
      if let text = value as? String, text.count >= 3 { values.insert(text) }
      if let array = value as? [Any] { array.forEach(collect) }
      if let object = value as? [String: Any] {
        for (key, item) in object where key != "type" { collect(item) }
      }
    }
    let text = try String(contentsOfFile: QSServer.exampleSchool, encoding: .utf8)
    for line in text.split(separator: "\n") { collect(try JSONSerialization.jsonObject(with: Data(line.utf8))) }
    return values
  }

  func probe(_ server: QSServer) throws -> (result: Shell.Result, report: String) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).json").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    let result = try server.extract("--probe --probe-report '\(file)'")
    var info = stat()
    #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
    return (result, (try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
  }

  @Test(arguments: variants)
  func theProbeFindsWhatTheAPIGives(variant: Variant) throws {
    let rules = variant.rules.map { ["path": $0["path"]!, "status": 404] as [String: Any] }
    let server = try QSServer(rules: rules, options: variant.options)
    let (result, report) = try probe(server)
    let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
    let school = try #require((json?["schools"] as? [[String: Any]])?.first, "\(report)\n\(result.stderr)")
    #expect(variant.check(school), "\(variant): \(report)")
    #expect(result.status == (Self.extractable(school) ? 0 : 78), "\(result.stderr)")
    #expect(result.stderr.contains(Self.extractable(school) ? "can be extracted as is" : "[E_QS_PROBE]"), "\(result.stderr)")
    // Names, shapes, statuses and counts only.
    let leaked = try Self.fixtureValues().filter { report.contains("\"\($0)\"") || report.contains($0) }
    #expect(leaked.isEmpty, "\(variant): values in the report: \(leaked.sorted())")
    #expect(!report.contains("lincolnacademy") && !report.contains("Xk9pQ2v7"), "\(report)")
    // Read-only and small: never a page of more than two items.
    #expect(try server.log().allSatisfy { Int($0.query["itemsPerPage"] ?? "0") ?? 0 <= 2 })
  }

  @Test func aNeededFieldMissingEverywhereIsReportedWithTheOptionThatSuppliesIt() throws {
    let server = try QSServer(rules: [["path": "/students", "rename": ["classId": "gradeLevelId"]]])
    let (result, report) = try probe(server)
    #expect(result.status == 78, "\(result.stderr)")
    #expect(result.stderr.contains("field student.classId: absent"), "\(result.stderr)")
    #expect(result.stderr.contains("--field student.classId=NAME"), "\(result.stderr)")
    #expect(report.contains("\"field\":\"classId\",\"needed\":true,\"spelling\":null"), "\(report)")
    let named = try server.extract("--probe --field student.classId=gradeLevelId")
    #expect(named.status == 0 && named.stderr.contains("present as gradeLevelId"), "\(named.stderr)")
  }

  @Test func aFieldUnderItsOtherKnownSpellingIsNamed() throws {
    let server = try QSServer(rules: [["path": "/students", "rename": ["relationship": "relationshipToStudent"]]])
    let (result, report) = try probe(server)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(report.contains("\"field\":\"relationship\",\"needed\":true,\"spelling\":\"relationshipToStudent\""), "\(report)")
  }
}
