import Foundation
import Testing
@testable import TestHarness

/// The built qs-extract against the scripted QuickSchools server.
@Suite(.serialized)
struct ExtractCommandTests {
  let key = QSServer.exampleKey
  var secretPart: String { String(key.split(separator: ".")[1]) }

  func extract(_ server: QSServer, _ options: String = "", key: String? = nil) throws -> Shell.Result {
    try Shell.run("qs-extract --base-url \(server.baseURL) --rate 0 \(options)", environment: ["QS_API_KEY": key ?? self.key])
  }

  /// What the server holds for the example school, as qs-extract should write it.
  static func expectedRecords() throws -> [NSDictionary] {
    let lines = try String(contentsOfFile: QSServer.exampleSchool, encoding: .utf8).split(separator: "\n")
    let records = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    let activeTerm = records.first { $0["type"] as? String == "qs.semester" && $0["active"] as? Bool == true }?["id"] as? String
    let sections = Set(records.filter { $0["type"] as? String == "qs.section" && $0["semesterId"] as? String == activeTerm }
      .compactMap { $0["id"] as? String })
    return records.filter { record in
      switch record["type"] as? String {
      case "qs.staff": return false
      case "qs.student": return record["hasLeft"] as? Bool != true && record["deleted"] as? Bool != true
      case "qs.section", "qs.enrollment":
        return sections.contains(record[record["type"] as? String == "qs.section" ? "id" : "sectionId"] as? String ?? "")
      default: return true
      }
    }.map(normalized)
  }

  /// A missing key, "" and false mean the same (records.md): compare without them.
  static func normalized(_ value: Any) -> NSDictionary {
    normalize(value) as? NSDictionary ?? [:]
  }

  private static func normalize(_ value: Any) -> Any {
    if let object = value as? [String: Any] {
      var out: [String: Any] = [:]
      for (key, item) in object {
        if let text = item as? String, text.isEmpty { continue }
        if let flag = item as? Bool, flag == false { continue }
        out[key] = normalize(item)
      }
      return out as NSDictionary
    }
    if let array = value as? [Any] { return array.map(normalize) as NSArray }
    return value
  }

  func qsRecords(_ result: Shell.Result) -> [NSDictionary] {
    result.records.filter { $0["type"] as? String != "extract" }.map(Self.normalized)
  }

  @Test(arguments: [1, 7, 1000])
  func everyPageIsReadAtEveryPageSize(itemsPerPage: Int) throws {
    let server = try QSServer()
    let result = try extract(server, "--items-per-page \(itemsPerPage)")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(qsRecords(result) == (try Self.expectedRecords()))
    #expect(result.types.first == "extract" && result.types.last == "extract")
    #expect(result.records.last?["status"] as? String == "complete")
    let studentPages = try server.log().filter { $0.path == "/students" }.count
    #expect(studentPages == (39 + itemsPerPage - 1) / itemsPerPage)
  }

  @Test(arguments: ["array", "success", "unpaged"])
  func everyResponseShapeIsWalked(shape: String) throws {
    let server = try QSServer(rules: [["path": "/students", "shape": shape], ["path": "/teachers", "shape": shape]])
    let result = try extract(server, "--items-per-page 5")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(qsRecords(result) == (try Self.expectedRecords()))
  }

  @Test func anUnknownShapeIsAProtocolError() throws {
    let server = try QSServer(rules: [["path": "/teachers", "shape": "wrong"]])
    let result = try extract(server)
    #expect(result.status == 76)
    #expect(result.stderr.contains("[E_QS_SHAPE]") && result.stderr.contains("GET /teachers"), "\(result.stderr)")
    #expect(!result.stdout.contains("\"complete\""))
  }

  @Test func aRefusedKeyExits77WithWhereToFixIt() throws {
    let server = try QSServer()
    let wrong = "lincolnacademy.NotTheRightKey123"
    let result = try extract(server, key: wrong)
    #expect(result.status == 77)
    #expect(result.stderr.contains("check the API key (Settings, App Developer Console, API Keys)"), "\(result.stderr)")
    #expect(!result.stderr.contains("NotTheRightKey123") && !result.stdout.contains("NotTheRightKey123"))
    #expect(!result.stdout.contains("\"complete\""))
  }

  @Test func checkTriesEachKeyOnItsSchoolOnly() throws {
    let server = try QSServer()
    let good = try extract(server, "--check")
    #expect(good.status == 0, "\(good.stderr)")
    #expect(good.stdout.isEmpty)
    #expect(good.stderr.contains("ok   lincolnacademy: Lincoln Academy (300794)"), "\(good.stderr)")
    #expect(try server.log().map(\.path) == ["/school"])
    let bad = try extract(server, "--check", key: "lincolnacademy.WrongOne99")
    #expect(bad.status == 77)
    #expect(bad.stderr.contains("FAIL lincolnacademy: [E_QS_KEY]") && !bad.stderr.contains("WrongOne99"), "\(bad.stderr)")
  }

  @Test func retryAfterIsHonoured() throws {
    let server = try QSServer(rules: [["path": "/teachers", "status": 429, "retryAfter": 1, "times": 1]])
    let result = try extract(server)
    #expect(result.status == 0, "\(result.stderr)")
    let teachers = try server.log().filter { $0.path == "/teachers" }
    #expect(teachers.map(\.status) == [429, 200])
    #expect(teachers.count == 2 && teachers[1].time - teachers[0].time >= 0.95)
    #expect(result.stderr.contains("1 retry,"), "\(result.stderr)")
  }

  @Test func rateLimitedBeyondTheRetriesExits75() throws {
    let server = try QSServer(rules: [["path": "/classes", "status": 429, "retryAfter": 0]])
    let result = try extract(server, "--retries 2")
    #expect(result.status == 75)
    #expect(result.stderr.contains("[E_QS_RATE_LIMITED]"), "\(result.stderr)")
    #expect(try server.log().filter { $0.path == "/classes" }.count == 3)
  }

  @Test func serverErrorsAreRetriedUntilTheyPass() throws {
    let server = try QSServer(rules: [["path": "/students", "status": 500, "times": 2]])
    let result = try extract(server, "--items-per-page 1000")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(qsRecords(result) == (try Self.expectedRecords()))
    #expect(try server.log().filter { $0.path == "/students" }.map(\.status) == [500, 500, 200])
    #expect(result.stderr.contains("2 retries"))
  }

  /// --timeout covers the whole answer: a server that says nothing, and one that sends the
  /// head and half the body and then stalls.
  @Test(arguments: ["stall", "stallBody"])
  func aStalledServerTimesOutWith75(rule: String) throws {
    let server = try QSServer(rules: [["path": "/classes", rule: 20]])
    let started = Date()
    let result = try extract(server, "--timeout 1 --retries 1")
    #expect(result.status == 75)
    #expect(result.stderr.contains("[E_QS_TIMEOUT]"), "\(result.stderr)")
    #expect(Date().timeIntervalSince(started) < 15)
    #expect(!result.stdout.contains("\"complete\""))
  }

  @Test func oneStallIsRetried() throws {
    let server = try QSServer(rules: [["path": "/semesters", "stall": 5, "times": 1]])
    let result = try extract(server, "--timeout 1")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(qsRecords(result) == (try Self.expectedRecords()))
  }

  @Test func malformedJSONNamesTheEndpointAndShowsAnExcerpt() throws {
    let server = try QSServer(rules: [["path": "/semesters", "malformed": true]])
    let result = try extract(server)
    #expect(result.status == 76)
    #expect(result.stderr.contains("GET /semesters") && result.stderr.contains("the answer began"), "\(result.stderr)")
    #expect(!result.stdout.contains("\"complete\""))
  }

  @Test func aMissingFieldIsReportedOncePerField() throws {
    let server = try QSServer(rules: [["path": "/students", "omit": ["relationship"]]])
    let result = try extract(server, "--items-per-page 5")
    #expect(result.status == 0, "\(result.stderr)")
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains("[W_QS_MISSING_FIELD]") }
    #expect(warnings.count == 1, "\(result.stderr)")
    #expect(warnings.first?.contains("guardian records have no relationship") == true)
    let guardians = result.records.flatMap { $0["guardians"] as? [[String: Any]] ?? [] }
    #expect(!guardians.isEmpty && guardians.allSatisfy { $0["relationship"] as? String == "" })
    #expect(guardians.allSatisfy { !($0["fullName"] as? String ?? "").isEmpty })
  }

  @Test func theRequestRateIsRespected() throws {
    let server = try QSServer()
    let result = try Shell.run(
      "qs-extract --base-url \(server.baseURL) --rate 5 --items-per-page 10", environment: ["QS_API_KEY": key])
    #expect(result.status == 0, "\(result.stderr)")
    let times = try server.log().map(\.time).sorted()
    #expect(times.count >= 20)
    // In any two seconds, at most 2 × 5 requests (and one on the edge).
    for (index, start) in times.enumerated() {
      let inWindow = times[index...].prefix { $0 < start + 2 }.count
      #expect(inWindow <= 11, "\(inWindow) requests in 2 s from t=\(start)")
    }
  }

  @Test func theKeyNeverAppearsInAnyOutput() throws {
    let server = try QSServer(rules: [["path": "/teachers", "status": 500, "times": 1]])
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qsx-key-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let result = try extract(server, "--save \(folder)/dump --diagnostics \(folder)/diag.ndjson")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains(secretPart) && !result.stderr.contains(secretPart))
    let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
    #expect(files.count > 10)
    for file in files {
      let text = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
      #expect(!text.contains(secretPart), "\(file) holds the key")
    }
    // Even from the server's own log of what it was sent, the key went only in the query.
    #expect(try server.log().allSatisfy { $0.query["apiKey"] == key })
  }

  @Test func aKeyFileReadableByOthersIsRefused() throws {
    let server = try QSServer()
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("qs-key-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    try "# Lincoln Academy\n\(key)\n".write(toFile: file, atomically: false, encoding: .utf8)
    chmod(file, 0o644)
    let open = try Shell.run("qs-extract --base-url \(server.baseURL) --rate 0 --api-key-file \(file)")
    #expect(open.status == 77)
    #expect(open.stderr.contains("chmod 600"), "\(open.stderr)")
    chmod(file, 0o600)
    let closed = try Shell.run("qs-extract --base-url \(server.baseURL) --rate 0 --api-key-file \(file)")
    #expect(closed.status == 0, "\(closed.stderr)")
  }

  @Test func severalSchoolsAreReadInOneRunEachTaggedWithItsID() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qsx-two-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let second = try String(contentsOfFile: QSServer.exampleSchool, encoding: .utf8)
      .replacingOccurrences(of: "300794", with: "300795").replacingOccurrences(of: "lincolnacademy", with: "lincolnmiddle")
    try second.write(toFile: folder + "/second.ndjson", atomically: false, encoding: .utf8)
    let otherKey = "lincolnmiddle.AnotherSecret77"
    let server = try QSServer(fixtures: [key: QSServer.exampleSchool, otherKey: folder + "/second.ndjson"])
    let result = try extract(server, key: "\(key)\n\(otherKey)")
    #expect(result.status == 0, "\(result.stderr)")
    let schools = result.records.compactMap { $0["schoolId"] as? String }
    #expect(Set(schools) == ["300794", "300795"])
    // Every school's reference records first (records.md), then school by school.
    let types = result.records.compactMap { $0["type"] as? String }
    let references: Set<String> = ["qs.school", "qs.class", "qs.semester"]
    let firstRoster = types.firstIndex { $0.hasPrefix("qs.") && !references.contains($0) }!
    #expect(types[firstRoster...].allSatisfy { !references.contains($0) })
    let roster = result.records.filter { !references.contains($0["type"] as? String ?? "") }
      .compactMap { $0["schoolId"] as? String }
    #expect(roster.firstIndex(of: "300795")! > roster.lastIndex(of: "300794")!)
    // ...which clever-map takes whole.
    let mapped = try Shell.run("qs-extract --base-url \(server.baseURL) --rate 0 | clever-map", environment: ["QS_API_KEY": "\(key) \(otherKey)"])
    #expect(mapped.status == 0, "\(mapped.stderr)")
    #expect(mapped.records.filter { $0["type"] as? String == "clever.school" }.count == 2)
    #expect(result.records.filter { $0["type"] as? String == "qs.school" }.compactMap { $0["id"] as? String }
      == ["300794", "300795"])
    #expect(result.stderr.contains("2 schools read"))
  }

  @Test func aSavedDumpReplaysTheSameRecordsWithNoNetwork() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qsx-dump-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let server = try QSServer()
    let live = try extract(server, "--items-per-page 4 --save \(folder)")
    #expect(live.status == 0, "\(live.stderr)")
    server.stop()
    let replay = try Shell.run("qs-extract --from \(folder)")
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(qsRecords(replay) == qsRecords(live))
    #expect(replay.records.first?["source"] as? String == "dump")
    var info = stat()
    stat(folder + "/lincolnacademy/students.page-1.json", &info)
    #expect(info.st_mode & 0o777 == 0o600)
    stat(folder, &info)
    #expect(info.st_mode & 0o777 == 0o700)
  }

  @Test func aDumpFromAFailedRunIsRefused() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qsx-bad-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let server = try QSServer(rules: [["path": "/sections", "malformed": true]])
    let live = try extract(server, "--save \(folder)")
    #expect(live.status == 76)
    let replay = try Shell.run("qs-extract --from \(folder)")
    #expect(replay.status == 65)
    #expect(replay.stderr.contains("[E_QS_DUMP]") && replay.stderr.contains("did not finish"), "\(replay.stderr)")
  }

  @Test func aFailedExtractWritesNoFilesDownstream() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qsx-cut-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let server = try QSServer(rules: [["path": "/sectionenrollments/*", "status": 503]])
    let result = try Shell.run(
      "qs-extract --base-url \(server.baseURL) --rate 0 --retries 1 | clever-map | clever-validate | clever-csv write -o \(folder)",
      environment: ["QS_API_KEY": key])
    #expect(result.status != 0)
    #expect(result.stderr.contains("[E_QS_SERVER]") && result.stderr.contains("[E_CUT_SHORT]"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/students.csv"))
  }

  @Test func theBackupHostAnswersWhenTheMainIsDown() throws {
    let server = try QSServer()
    let result = try extract(server, "--base-url http://127.0.0.1:9/sms/v1 --backup-url \(server.baseURL)")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(qsRecords(result) == (try Self.expectedRecords()))
  }

  @Test func anUnreachableHostExits69() throws {
    let result = try Shell.run(
      "qs-extract --base-url http://127.0.0.1:9/sms/v1 --retries 1", environment: ["QS_API_KEY": key])
    #expect(result.status == 69)
    #expect(result.stderr.contains("[E_QS_UNREACHABLE]"), "\(result.stderr)")
  }

  @Test func enrollmentsFollowTheSectionsWhicheverAnswerComesFirst() throws {
    let plain = try QSServer()
    let reference = try extract(plain, "--concurrency 4")
    let slow = try QSServer(rules: [["path": "/sectionenrollments/9001", "stall": 1.5]])
    let result = try extract(slow, "--concurrency 4")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == reference.stdout)
  }

  @Test func aTermCanBeChosenByName() throws {
    let server = try QSServer()
    let spring = try extract(server, "--term 'spring 2026'")
    #expect(spring.status == 0, "\(spring.stderr)")
    let terms = Set(spring.records.filter { $0["type"] as? String == "qs.section" }.compactMap { $0["semesterId"] as? String })
    #expect(terms.isSubset(of: ["4200"]))
    #expect(try server.log().contains { $0.path == "/sections" && $0.query["semesterId"] == "4200" })
    let none = try extract(server, "--term Summer")
    #expect(none.status == 78)
    #expect(none.stderr.contains("[E_QS_TERM]") && none.stderr.contains("Fall 2026"), "\(none.stderr)")
  }
}
