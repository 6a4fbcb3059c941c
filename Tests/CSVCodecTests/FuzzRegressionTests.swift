import CSVCodec
import Foundation
import Testing

// Replays FuzzCorpus/, the inputs kept from fuzzing CSVCodec with libFuzzer (the harness
// and how to rerun it are in Tests/Fuzz/CSVFuzz/), and checks on each one what the fuzz
// target checks:
//   - parsing returns rows or throws CSVError, nothing else;
//   - the whole input and the same bytes fed to CSVParser in chunks (split at the fuzz
//     target's position, at every position, and one byte at a time) give the same rows
//     (line numbers and field bytes) or the same CSVError;
//   - a successful parse round-trips: the rows written with CSVWriter.appendRow and read
//     back give the same fields, byte for byte.
// `roundtrip-*` files are round-trip failures the fuzzer found; `cov-*` files are a small
// set chosen from the merged corpus for coverage. Each file runs with the fuzzer's row
// limit (4096) and with a small one (64), so that the row-too-long path is replayed too.

private let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("FuzzCorpus")

private let corpusFiles: [String] =
  ((try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)) ?? [])
  .filter { !$0.hasPrefix(".") }.sorted()

/// What a parse gave, with fields as bytes (String == ignores differences between
/// canonically equivalent strings).
private enum Outcome: Equatable, CustomStringConvertible {
  struct Row: Equatable {
    var line: Int
    var fields: [[UInt8]]
  }

  case rows([Row])
  case error(CSVError)
  /// An error that is not a CSVError: never allowed.
  case unexpected(String)

  init(_ parse: () throws -> [CSVRow]) {
    do {
      self = .rows(try parse().map { Row(line: $0.line, fields: $0.fields.map { Array($0.utf8) }) })
    } catch let error as CSVError {
      self = .error(error)
    } catch {
      self = .unexpected(String(describing: error))
    }
  }

  var description: String {
    switch self {
    case .rows(let rows): return "rows(\(rows.map { "\($0.line):\($0.fields)" }))"
    case .error(let error): return "error(line \(error.line): \(error.reason))"
    case .unexpected(let error): return "unexpected error \(error)"
    }
  }
}

/// Feeds `bytes` to one CSVParser in the chunks that `cuts` (ascending offsets) mark.
private func parseChunked(_ bytes: [UInt8], cuts: [Int], maxRowBytes: Int) -> Outcome {
  Outcome {
    var parser = CSVParser(maxRowBytes: maxRowBytes)
    var rows: [CSVRow] = []
    try bytes.withUnsafeBufferPointer { buffer in
      var start = 0
      for end in cuts + [buffer.count] {
        try parser.consume(UnsafeBufferPointer(rebasing: buffer[start..<end])) { rows.append($0) }
        start = end
      }
    }
    try parser.finish { rows.append($0) }
    return rows
  }
}

struct FuzzRegressionTests {
  @Test func corpusIsFound() {
    #expect(corpusFiles.count >= 20, "no fuzz corpus at \(corpusDirectory.path)")
  }

  @Test(arguments: corpusFiles, [4096, 64])
  func corpusFile(_ name: String, maxRowBytes: Int) throws {
    let bytes = Array(try Data(contentsOf: corpusDirectory.appendingPathComponent(name)))

    let whole = Outcome { try CSVFileReader.rows(of: bytes, maxRowBytes: maxRowBytes) }
    if case .unexpected = whole { Issue.record("\(name): \(whole)") }

    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let twoChunks = parseChunked(bytes, cuts: [split], maxRowBytes: maxRowBytes)
    #expect(twoChunks == whole, "\(name): whole vs chunks split at \(split)")
    for cut in 0...bytes.count {
      let chunked = parseChunked(bytes, cuts: [cut], maxRowBytes: maxRowBytes)
      if chunked != whole {
        Issue.record("\(name): whole \(whole) vs chunks split at \(cut) \(chunked)")
        break
      }
    }
    let byteByByte = parseChunked(bytes, cuts: Array(0..<bytes.count), maxRowBytes: maxRowBytes)
    #expect(byteByByte == whole, "\(name): whole vs byte by byte")

    guard case .rows(let rows) = whole else { return }
    var written: [UInt8] = []
    for row in rows {
      CSVWriter.appendRow(row.fields.map { String(decoding: $0, as: UTF8.self) }, to: &written)
    }
    let reread = Outcome { try CSVFileReader.rows(of: written) }
    guard case .rows(let rereadRows) = reread else {
      Issue.record("\(name): the written rows do not read back: \(reread); written \(written)")
      return
    }
    #expect(
      rereadRows.map(\.fields) == rows.map(\.fields),
      "\(name): round trip changed the fields; written \(written)")
  }
}
