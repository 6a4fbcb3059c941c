import Foundation
import RecordStream
import RosterRecords
import Testing

/// What qs-extract writes is exactly what the contract's encoders write: every line of
/// a whole run, decoded by its type and encoded again, is the same bytes. qs-extract
/// writes through RecordBuilder (re-encoding every record at run time cost a third more
/// CPU), so this is what keeps the two from drifting apart.
@Suite struct ContractTests {
  static func reencoded(_ line: String) throws -> String? {
    guard case .object(let object) = try JSONParser.parse(line), let type = object["type"]?.text else { return nil }
    if type == ExtractRecord.type { return JSONWriter.string(.object(ExtractRecord(object: object).object)) }
    guard let record = try QSRecord(type: type, object: object) else { return nil }
    return JSONWriter.string(.object(record.object))
  }

  static func check(_ output: String) throws -> Int {
    var checked = 0
    for line in output.split(separator: "\n").map(String.init) {
      let again = try #require(try reencoded(line), "a line of no contract type: \(line)")
      #expect(again == line)
      checked += 1
    }
    return checked
  }

  @Test func theExampleDumpIsWrittenAsTheContractEncodesIt() throws {
    let dump = Tool.repository.appendingPathComponent("examples/lincoln-academy/dump").path
    let result = try Tool.run("qs-extract", ["--from", dump])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try Self.check(result.text) > 200)
  }

  @Test func aGeneratedDistrictIsWrittenAsTheContractEncodesIt() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let benchmarks = Tool.repository.appendingPathComponent("Tests/Benchmarks").path
    let made = try Tool.shell(
      "python3 '\(benchmarks)/generate-district.py' --students 2000 --seed 7 > '\(scratch.path)/d.ndjson' "
        + "&& python3 '\(benchmarks)/make-qs-dump.py' '\(scratch.path)/d.ndjson' '\(scratch.path)/dump' > /dev/null")
    #expect(made.status == 0, "\(made.stderr)")
    let result = try Tool.run("qs-extract", ["--from", scratch.path + "/dump"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try Self.check(result.text) > 10_000)
  }
}
