import Foundation
import Testing
@testable import TestHarness

/// Guardians inline on the students (`fields=...,parents`, not confirmed), else from the
/// `/parents` listing joined to the students, else none, each said once.
@Suite(.serialized)
struct GuardianSourceTests {
  /// A student's guardians in a fixed order: /parents lists each parent once, so the
  /// order within a student follows the listing, not the profile (mapping-rules.md
  /// makes one row per contact, and order does not matter to Clever).
  static func guardiansSorted(_ records: [NSDictionary]) -> [NSDictionary] {
    records.map { record in
      guard let guardians = record["guardians"] as? [NSDictionary] else { return record }
      let copy = record.mutableCopy() as! NSMutableDictionary
      copy["guardians"] = guardians.sorted { "\($0["id"] ?? "")\($0)" < "\($1["id"] ?? "")\($1)" } as NSArray
      return copy
    }
  }

  @Test func guardiansOnlyThroughParentsAreJoinedToTheirStudents() throws {
    let server = try QSServer(options: ["--parents-listing"])
    let result = try server.extract("--items-per-page 7")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(Self.guardiansSorted(result.qsRecords) == Self.guardiansSorted(try ExtractCommandTests.expectedRecords()))
    #expect(result.fallbacks.count == 1 && result.fallbacks[0].contains("GET /parents"), "\(result.stderr)")
    #expect(!result.stderr.contains("W_QS_MISSING_FIELD"), "\(result.stderr)")
    #expect(try server.log().contains { $0.path == "/parents" })
  }

  @Test func withoutParentsTheStudentsGoWithoutContactsAndItIsSaid() throws {
    let server = try QSServer(rules: [["path": "/parents", "status": 404]], options: ["--parents-listing"])
    let result = try server.extract()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.fallbacks.count == 1 && result.fallbacks[0].contains("no contacts"), "\(result.stderr)")
    #expect(result.stderr.contains("39 of 39 student records have no guardians"), "\(result.stderr)")
    let students = result.records.filter { $0["type"] as? String == "qs.student" }
    #expect(students.count == 39 && students.allSatisfy { ($0["guardians"] as? [Any])?.isEmpty == true })
  }

  @Test func guardiansInlineNeedNoOtherRequest() throws {
    let server = try QSServer()
    let result = try server.extract()
    #expect(result.status == 0 && result.fallbacks.isEmpty, "\(result.stderr)")
    #expect(try !server.log().contains { $0.path == "/parents" })
  }
}
