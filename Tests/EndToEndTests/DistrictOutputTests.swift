import Foundation
import Testing

/// Every stage's output on a generated district is the bytes that the build before the
/// speed work of issue 15 wrote (19ae7be; `Expected/district-2000.sha256`, in
/// sha256sum's format): a faster path may not change one byte. The example school's
/// files are held to `Expected/lincoln-academy` by PipelineTests.
@Suite struct DistrictOutputTests {
  @Test func aGeneratedDistrictGivesTheRecordedBytes() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let benchmarks = Tool.repository.appendingPathComponent("Tests/Benchmarks").path
    let expected = Tool.repository.appendingPathComponent("Tests/EndToEndTests/Expected/district-2000.sha256").path
    let result = try Tool.shell(
      """
      cd '\(scratch.path)'
      python3 '\(benchmarks)/generate-district.py' --students 2000 --seed 1 > district.ndjson
      python3 '\(benchmarks)/make-qs-dump.py' district.ndjson dump > /dev/null
      qs-extract --from dump > extracted.ndjson 2> /dev/null
      clever-map district.ndjson > clever.ndjson 2> /dev/null
      clever-validate < clever.ndjson 2> /dev/null | clever-csv -o csv > /dev/null 2>&1
      clever-csv read csv > read.ndjson 2> /dev/null
      sha256sum -c '\(expected)'
      """)
    #expect(result.status == 0, "\(result.text)\(result.stderr)")
    #expect(result.lines.count == 9 && result.lines.allSatisfy { $0.hasSuffix(": OK") }, "\(result.text)")
  }
}
