import Foundation
import Testing

/// Stages composed as users compose them in a shell: schools extracted one by one and
/// concatenated, `jq` spliced between stages, a school cut short inside a longer stream.
@Suite(.serialized)
struct ComposedStreamTests {
  static let dump = Tool.repository.appendingPathComponent("examples/lincoln-academy/dump").path
  static let secondSchool = Tool.repository.appendingPathComponent("Tests/EndToEndTests/Streams/second-school.jq").path

  /// Two schools' extracts as two files: the example school and a second one made from it.
  func twoExtracts(_ scratch: TempDirectory) throws -> (a: String, b: String) {
    let a = scratch.path + "/a.ndjson", b = scratch.path + "/b.ndjson"
    let made = try Tool.shell(
      "qs-extract --from '\(Self.dump)' > '\(a)' 2>/dev/null && jq -c -f '\(Self.secondSchool)' '\(a)' > '\(b)'")
    try #require(made.status == 0, "\(made.stderr)")
    return (a, b)
  }

  func rows(_ file: String) throws -> [[String]] {
    try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
      .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
  }

  @Test func twoSchoolsExtractedSeparatelyAndConcatenatedMapWhole() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let (a, b) = try twoExtracts(scratch)
    let out = scratch.path + "/out"
    let result = try Tool.shell(
      "cat '\(a)' '\(b)' | clever-map | clever-validate | clever-csv write -o '\(out)' > /dev/null")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stderr.contains("E_LATE_REFERENCE"))
    let schools = try rows(out + "/schools.csv").map { $0[0] }
    #expect(schools == ["300794", "400100"])
    // Each school's students, with its own grade levels (both schools use the same class IDs).
    let students = try rows(out + "/students.csv")
    #expect(Set(students.filter { $0[0] == "300794" }.map { $0[1] }).count == 38)
    #expect(Set(students.filter { $0[0] == "400100" }.map { $0[1] }).count == 38)
    // The term is chosen per school: Fall 2026 is active at the first, Spring 2026 at the second.
    let header = try String(contentsOfFile: out + "/sections.csv", encoding: .utf8).split(whereSeparator: \.isNewline)[0]
      .split(separator: ",").map(String.init)
    let term = try #require(header.firstIndex(of: "Term_name"))
    let sections = try rows(out + "/sections.csv")
    #expect(Set(sections.filter { $0[0] == "300794" }.map { $0[term] }) == ["Fall 2026"])
    #expect(Set(sections.filter { $0[0] == "400100" }.map { $0[term] }) == ["Spring 2026"])
  }

  @Test func jqSplicedBetweenEveryStageChangesNothing() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let (a, b) = try twoExtracts(scratch)
    let plain = scratch.path + "/plain", spliced = scratch.path + "/spliced"
    let first = try Tool.shell("cat '\(a)' '\(b)' | clever-map 2>/dev/null | clever-validate 2>/dev/null "
      + "| clever-csv write -o '\(plain)' > /dev/null")
    #expect(first.status == 0, "\(first.stderr)")
    // Lines added before and after the brackets, and jq re-printing every record.
    let second = try Tool.shell(
      "{ echo '{\"type\":\"note\",\"text\":\"exported by make\"}'; cat '\(a)' '\(b)'; echo '{\"type\":\"note\"}'; } "
        + "| jq -c . | clever-map 2>/dev/null | jq -c . | clever-validate 2>/dev/null | jq -c . "
        + "| clever-csv write -o '\(spliced)' > /dev/null")
    #expect(second.status == 0, "\(second.stderr)")
    #expect(try scratch.snapshot(plain) == scratch.snapshot(spliced))
  }

  /// The second school's extract cut before its last 100 enrollments and its closing record.
  func cutSecond(_ scratch: TempDirectory) throws -> String {
    let (a, b) = try twoExtracts(scratch)
    let cut = scratch.path + "/cut.ndjson"
    let made = try Tool.shell("{ cat '\(a)'; head -n -101 '\(b)'; } > '\(cut)'")
    try #require(made.status == 0)
    return cut
  }

  @Test func aSchoolCutShortInsideALongerStreamProducesNoFiles() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let cut = try cutSecond(scratch)
    let out = scratch.path + "/out"
    let result = try Tool.shell("clever-map < '\(cut)' | clever-validate | clever-csv write -o '\(out)'")
    #expect(result.status == 65, "\(result.stderr)")
    // The second extract began on line 237 (after the first school's 236 lines).
    #expect(result.stderr.contains("clever-map: <stdin>: error: [E_CUT_SHORT] the extract that began on line 237"),
            "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func clever_csvRefusesAnOpenExtractEvenWithoutClever_mapsCheck() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let (a, b) = try twoExtracts(scratch)
    let out = scratch.path + "/out"
    // Mapped whole, then the second school's closing record is dropped by a jq filter:
    // clever-csv alone must notice, with --force too.
    for force in ["", "--force"] {
      let result = try Tool.shell(
        "cat '\(a)' '\(b)' | clever-map 2>/dev/null | jq -c 'select(.type != \"extract\" or .status != \"complete\" "
          + "or .schools != [\"roosevelt\"])' | clever-validate 2>/dev/null | clever-csv write \(force) -o '\(out)'")
      #expect(result.status == 65, "\(result.stderr)")
      #expect(result.stderr.contains("[E_CUT_SHORT]") && result.stderr.contains("never finished"), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  @Test func aStreamMissingItsHeadIsRefused() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let (a, _) = try twoExtracts(scratch)
    let out = scratch.path + "/out"
    let result = try Tool.shell("tail -n +2 '\(a)' | clever-map 2>&1 >/dev/null | grep E_CUT_SHORT; "
      + "tail -n +2 '\(a)' | clever-map 2>/dev/null | clever-csv write -o '\(out)'")
    #expect(result.status == 65)
    #expect(result.text.contains("closes the extract of lincolnacademy (dump), which never began"), "\(result.text)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
