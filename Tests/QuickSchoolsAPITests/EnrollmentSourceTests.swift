import Foundation
import Testing
@testable import TestHarness

/// Enrollments from the students' own section lists (`smsClassSubjectSetIdList`, one
/// request per page of students) against those of `/sectionenrollments/{id}` (one
/// request per section): the same enrollments, far fewer requests, and the per-section
/// way wherever the lists cannot be trusted.
@Suite(.serialized)
struct EnrollmentSourceTests {
  /// The enrollments of an extract, order aside.
  func enrollments(_ result: Shell.Result) -> [String] {
    result.records.filter { $0["type"] as? String == "qs.enrollment" }
      .map { "\($0["sectionId"] as? String ?? "") \($0["studentId"] as? String ?? "")" }.sorted()
  }

  func sectionRequests(_ server: QSServer) throws -> Int {
    try server.log().filter { $0.path.hasPrefix("/sectionenrollments/") }.count
  }

  @Test func theStudentsListsGiveWhatEachSectionGives() throws {
    // --include-inactive: /sectionenrollments also lists students who have left, whom
    // /students leaves out by default (clever-map drops their enrollments either way).
    let bulk = try QSServer(options: ["--student-section-ids"])
    let perSection = try QSServer()
    let fromLists = try bulk.extract("--include-inactive")
    let fromSections = try perSection.extract("--include-inactive")
    #expect(fromLists.status == 0 && fromSections.status == 0, "\(fromLists.stderr)\(fromSections.stderr)")
    #expect(enrollments(fromLists) == enrollments(fromSections))
    #expect(enrollments(fromLists).count == 165)
    #expect(try sectionRequests(bulk) == 0)
    #expect(try sectionRequests(perSection) == 10)
    // Everything else is the same, in the same order.
    let others = { (result: Shell.Result) in
      result.records.filter { !["qs.enrollment", "extract"].contains($0["type"] as? String ?? "") }.map { NSDictionary(dictionary: $0) }
    }
    #expect(others(fromLists) == others(fromSections))
    let students = try bulk.log().filter { $0.path == "/students" }
    #expect(students.allSatisfy { $0.query["fields"]?.contains("smsClassSubjectSetIdList") == true })
  }

  @Test func withoutInactiveStudentsTheMappedRosterIsTheSame() throws {
    let bulk = try QSServer(options: ["--student-section-ids"])
    let perSection = try QSServer()
    let mapped = { (server: QSServer) throws -> [String] in
      let result = try Shell.run("qs-extract --base-url \(server.baseURL) --rate 0 | clever-map",
                                 environment: ["QS_API_KEY": QSServer.exampleKey])
      #expect(result.status == 0, "\(result.stderr)")
      return result.stdout.split(separator: "\n").filter { !$0.contains("\"extract\"") }.map(String.init).sorted()
    }
    #expect(try mapped(bulk) == (try mapped(perSection)))
  }

  @Test func aTermOtherThanTheActiveOneIsReadPerSection() throws {
    // The lists hold the current term's sections only.
    let server = try QSServer(options: ["--student-section-ids"])
    let semesters = try server.extract("").records.filter { $0["type"] as? String == "qs.semester" }
    let inactive = try #require(semesters.first { $0["active"] as? Bool != true }?["id"] as? String)
    try server.reset()
    let result = try server.extract("--term \(inactive)")
    #expect(result.status == 0, "\(result.stderr)")
    let sections = result.records.filter { $0["type"] as? String == "qs.section" }.count
    #expect(try sectionRequests(server) == sections)
  }

  @Test func aPageOfStudentsWithoutTheirListsMeansPerSection() throws {
    // One page of students without the lists: the API cannot be trusted to give them.
    let server = try QSServer(rules: [["path": "/students", "omit": ["smsClassSubjectSetIdList"], "times": 1]],
                              options: ["--student-section-ids"])
    let result = try server.extract("--items-per-page 10 --include-inactive")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try sectionRequests(server) == 10)
    #expect(enrollments(result).count == 165)
  }
}
