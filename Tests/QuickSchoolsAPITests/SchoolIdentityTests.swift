import Foundation
import Testing
@testable import TestHarness

/// Where the school's ID comes from when the API has no `/school` (it is not confirmed):
/// `/schools`, the user's `--school`, the code with `--school-id code`, or one clear
/// stop. Each fallback is announced once.
@Suite(.serialized)
struct SchoolIdentityTests {
  static var noSchool: [[String: Any]] { [["path": "/school", "status": 404]] }
  static var noSchools: [[String: Any]] { noSchool + [["path": "/schools", "status": 404]] }

  func school(_ result: Shell.Result) -> [String: Any]? { result.records.first { $0["type"] as? String == "qs.school" } }

  /// Everything but the school record and the brackets, to compare with a plain run.
  func roster(_ result: Shell.Result) -> [NSDictionary] {
    result.records.filter { !["qs.school", "extract"].contains($0["type"] as? String ?? "") }.map { NSDictionary(dictionary: $0) }
  }

  @Test func withoutSchoolTheSchoolsListingServes() throws {
    let plain = try (try QSServer()).extract()
    let result = try (try QSServer(rules: Self.noSchool)).extract()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(school(result)?["id"] as? String == "300794")
    #expect(school(result)?["name"] as? String == school(plain)?["name"] as? String)
    #expect(roster(result) == roster(plain))
    #expect(result.fallbacks.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("identity comes from GET /schools"))
  }

  @Test func withNeitherTheRunStopsSayingHowToGiveTheID() throws {
    let server = try QSServer(rules: Self.noSchools)
    let result = try server.extract()
    #expect(result.status == 78, "\(result.stderr)")
    #expect(result.stderr.contains("[E_QS_SCHOOL]"))
    #expect(result.stderr.contains("--school lincolnacademy=ID:NAME") && result.stderr.contains("--school-id code"))
    #expect(school(result) == nil)
    #expect(!result.stdout.contains("\"complete\""))
    // Stopped at once: the school is all it asked for.
    #expect(try server.log().map(\.path) == ["/school", "/schools"])
  }

  @Test func theUsersSchoolServesWithoutAsking() throws {
    let server = try QSServer(rules: Self.noSchools)
    let plain = try (try QSServer()).extract()
    let result = try server.extract("--school 'lincolnacademy=300794:Lincoln Academy: Main'")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(school(result)?["id"] as? String == "300794")
    #expect(school(result)?["name"] as? String == "Lincoln Academy: Main")
    #expect(roster(result) == roster(plain))
    #expect(try !server.log().contains { $0.path == "/school" || $0.path == "/schools" })
  }

  @Test func theCodeServesOnlyWhenChosen() throws {
    let result = try (try QSServer(rules: Self.noSchools)).extract("--school-id code")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(school(result)?["id"] as? String == "lincolnacademy")
    #expect(result.fallbacks.count == 1 && result.stderr.contains("--school-id code"), "\(result.stderr)")
    let students = result.records.filter { $0["type"] as? String == "qs.student" }
    #expect(!students.isEmpty && students.allSatisfy { $0["schoolId"] as? String == "lincolnacademy" })
  }

  @Test func theKeyCheckFindsTheSchoolTheSameWay() throws {
    let found = try (try QSServer(rules: Self.noSchool)).extract("--check")
    #expect(found.status == 0, "\(found.stderr)")
    #expect(found.stderr.contains("ok   lincolnacademy: Lincoln Academy (300794)"), "\(found.stderr)")
    let missing = try (try QSServer(rules: Self.noSchools)).extract("--check")
    #expect(missing.status == 78 && missing.stderr.contains("[E_QS_SCHOOL]"), "\(missing.stderr)")
  }

  @Test(arguments: ["lincolnacademy=300794", "lincolnacademy:300794:Name", "=300794:Name", "lincolnacademy=:Name"])
  func aMalformedSchoolIsAUsageError(given: String) throws {
    let result = try (try QSServer()).extract("--school '\(given)'")
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("CODE=ID:NAME"))
  }
}
