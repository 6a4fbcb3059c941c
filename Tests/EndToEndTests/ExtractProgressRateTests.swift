import Foundation
import Testing
@testable import TestHarness

/// qs-extract's progress line keeps qs-extract(1)'s promise: redrawn at most ten times
/// a second, however fast the run moves from one resource to the next.
@Suite struct ExtractProgressRateTests {
  /// A dump of `schools` schools with a class, a term and nothing else: a replay moves
  /// through six resources per school as fast as the files can be read.
  private func writeSmallSchools(_ schools: Int, into folder: String) throws {
    func page(_ items: String, count: Int) -> String {
      #"{"list":[\#(items)],"itemsPerPage":1000,"page":1,"numberOfPages":1,"numberOfItems":\#(count)}"#
    }
    let codes = (0..<schools).map { "school\($0)" }
    for (index, code) in codes.enumerated() {
      let school = folder + "/" + code
      try FileManager.default.createDirectory(atPath: school, withIntermediateDirectories: true)
      let files = [
        "school.json": #"{"id":"\#(1000 + index)","code":"\#(code)","name":"School \#(index)"}"#,
        "classes.page-1.json": page(#"{"id":"1","className":"First Grade","classAbbreviation":"1"}"#, count: 1),
        "semesters.page-1.json": page(
          #"{"id":"2","semesterName":"Fall","startDate":"2026-08-24","endDate":"2026-12-18","isActive":true}"#, count: 1),
        "teachers.page-1.json": page("", count: 0),
        "students.page-1.json": page("", count: 0),
        "sections.page-1.json": page("", count: 0),
      ]
      for (name, text) in files { try text.write(toFile: school + "/" + name, atomically: false, encoding: .utf8) }
    }
    let list = codes.map { "\"\($0)\"" }.joined(separator: ",")
    try #"{"format":"qs-extract-dump","version":1,"itemsPerPage":1000,"schools":[\#(list)]}"#
      .write(toFile: folder + "/manifest.json", atomically: false, encoding: .utf8)
  }

  @Test func theProgressLineIsRedrawnAtMostTenTimesASecond() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    try writeSmallSchools(20, into: scratch.path + "/dump")
    let result = try PseudoTerminal.run("qs-extract --from '\(scratch.path)/dump' > /dev/null")
    #expect(result.status == 0, "\(result.text)")
    let draws = result.count(" records, reading ")
    #expect(draws >= 2, "the progress line must show on a terminal: \(result.text.debugDescription)")
    #expect(draws <= Int(result.seconds * 10) + 1, "\(draws) draws in \(result.seconds) s")
    #expect(result.text.contains("\r\u{1B}[Kqs-extract: 20 schools read: 20 qs.school, 20 qs.class, 20 qs.semester"),
            "the line is erased before the closing line: \(result.text.debugDescription)")
  }
}
