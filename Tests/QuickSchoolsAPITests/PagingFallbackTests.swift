import Foundation
import Testing
@testable import TestHarness

/// The API's page parameter is not confirmed (public clients only send itemsPerPage): a
/// server that reads it under another name, or not at all, still gives the whole roster
/// (another spelling, or each listing in one request), announced once, or a clear stop.
@Suite(.serialized)
struct PagingFallbackTests {
  @Test func pagesUnderAnotherNameAreFoundAndKept() throws {
    let server = try QSServer(options: ["--page-param", "pageNumber"])
    let result = try server.extract("--items-per-page 10")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.qsRecords == (try ExtractCommandTests.expectedRecords()))
    #expect(result.fallbacks.count == 1 && result.fallbacks[0].contains("`pageNumber`"), "\(result.stderr)")
    // Found once, on the first listing long enough to need it, then used throughout.
    let students = try server.log().filter { $0.path == "/students" }
    #expect(students.last?.query["pageNumber"] == "4", "\(students.map(\.query))")
  }

  @Test func aSavedDumpRemembersThePageParameterAndReplaysWhole() throws {
    let server = try QSServer(options: ["--page-param", "pageNumber"])
    let dump = FileManager.default.temporaryDirectory.appendingPathComponent("dump-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dump) }
    let saved = try server.extract("--items-per-page 10 --save '\(dump)'")
    #expect(saved.status == 0, "\(saved.stderr)")
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dump + "/manifest.json")))
    #expect((manifest as? [String: Any])?["pageParameters"] as? [String: String] == ["lincolnacademy": "pageNumber"])
    let replay = try Shell.run("qs-extract --from '\(dump)'")
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(replay.qsRecords == saved.qsRecords)
  }

  @Test func aServerThatIgnoresPagingIsReadWholeFromItsCounts() throws {
    let server = try QSServer(options: ["--ignore-page"])
    let result = try server.extract("--items-per-page 10")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.qsRecords == (try ExtractCommandTests.expectedRecords()))
    #expect(result.fallbacks.count == 1 && result.fallbacks[0].contains("one request"), "\(result.stderr)")
    let whole = try server.log().filter { $0.path == "/students" && $0.query["itemsPerPage"] == "39" }
    #expect(whole.count == 1)
  }

  @Test func withoutCountsAFullFirstPageThatRepeatsStopsTheRun() throws {
    // A bare array gives no counts: nothing says how long the listing is.
    let server = try QSServer(rules: [["path": "/students", "shape": "array"]], options: ["--ignore-page"])
    let result = try server.extract("--items-per-page 10")
    #expect(result.status == 76, "\(result.stderr)")
    #expect(result.stderr.contains("[E_QS_INCOMPLETE]") && result.stderr.contains("no page parameter"), "\(result.stderr)")
    #expect(!result.stdout.contains("\"complete\""))
  }

  @Test func aServerThatPagesAsExpectedHearsNoOtherSpelling() throws {
    let server = try QSServer()
    let result = try server.extract("--items-per-page 10")
    #expect(result.status == 0 && result.fallbacks.isEmpty, "\(result.stderr)")
    #expect(try server.log().allSatisfy { $0.query["pageNumber"] == nil })
  }
}

/// A needed field under a spelling no public client shows: reported once with the way
/// to name it, and read once named with --field, without a rebuild.
@Suite(.serialized)
struct FieldSpellingTests {
  @Test func anUnknownSpellingIsReportedThenReadWhenNamed() throws {
    let rules: [[String: Any]] = [["path": "/students", "rename": ["classId": "gradeLevelId"]]]
    let unnamed = try (try QSServer(rules: rules)).extract()
    #expect(unnamed.status == 0)
    #expect(unnamed.stderr.contains("[W_QS_MISSING_FIELD]") && unnamed.stderr.contains("--field student.classId=NAME"),
            "\(unnamed.stderr)")
    let server = try QSServer(rules: rules)
    let named = try server.extract("--field student.classId=gradeLevelId")
    #expect(named.status == 0, "\(named.stderr)")
    #expect(!named.stderr.contains("W_QS_MISSING_FIELD"), "\(named.stderr)")
    #expect(named.qsRecords == (try ExtractCommandTests.expectedRecords()))
    #expect(try server.log().first { $0.path == "/students" }?.query["fields"]?.contains("gradeLevelId") == true)
  }

  @Test(arguments: [
    ("relationship", "relationshipToStudent"), ("isEmergencyContact", "emergencyContact"),
    ("isAuthorizedToPickUp", "authorizedToPickUp"),
  ])
  func aGuardianFieldUnderItsOtherKnownSpellingIsRead(name: String, other: String) throws {
    let server = try QSServer(rules: [["path": "/students", "rename": [name: other]]])
    let result = try server.extract()
    #expect(result.status == 0 && !result.stderr.contains("W_QS_MISSING_FIELD"), "\(result.stderr)")
    #expect(result.qsRecords == (try ExtractCommandTests.expectedRecords()))
  }

  @Test(arguments: ["student.nothing=x", "pupil.classId=x", "student.classId", "student.classId="])
  func aFieldThatIsNotInTheTablesIsAUsageError(given: String) throws {
    let result = try (try QSServer()).extract("--field '\(given)'")
    #expect(result.status == 64, "\(result.stderr)")
  }
}
