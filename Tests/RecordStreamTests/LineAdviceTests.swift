import RecordStream
import RosterRecords
import Testing

/// What the reader makes of lines a newcomer's tools write: a byte-order mark, pretty-
/// printed JSON, text in another encoding.
struct LineAdviceTests {
  /// The failure of reading `bytes`, or nil when every line was read.
  private func failure(_ bytes: [UInt8]) throws -> StageFailure? {
    let source = try inputSource(bytes)
    defer { source.close() }
    var reader = RecordReader(source: source, keepGoing: false, reporter: DiagnosticReporter(stage: "test"))
    do {
      try reader.forEach { _ in }
    } catch let failure as StageFailure {
      return failure
    }
    return nil
  }

  private func raws(_ bytes: [UInt8]) throws -> [[UInt8]] {
    let source = try inputSource(bytes)
    defer { source.close() }
    var reader = RecordReader(source: source, keepGoing: false, reporter: DiagnosticReporter(stage: "test"))
    var raws: [[UInt8]] = []
    try reader.forEach { raws.append(Array($0.raw)) }
    return raws
  }

  static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

  @Test func aByteOrderMarkAtTheStartOfTheStreamIsSkippedAndNotPassedOn() throws {
    let line = Array(#"{"type":"a"}"#.utf8)
    #expect(try raws(Self.bom + line + [0x0A] + line) == [line, line])
    #expect(try raws(Self.bom + [0x0A] + line) == [line], "a first line of a BOM alone is blank")
  }

  @Test func aByteOrderMarkStartingALaterLineIsNamed() throws {
    let failure = try failure(Array("{\"type\":\"a\"}\n".utf8) + Self.bom + Array("{\"type\":\"b\"}\n".utf8))
    #expect(failure?.code == "E_JSON")
    #expect(failure?.place?.hasSuffix(":2") == true)
    #expect(failure?.message.hasPrefix("the line starts with a byte-order mark (U+FEFF)") == true, "\(failure?.message ?? "")")
  }

  @Test func textInAnotherEncodingIsNamedWithTheWayToConvertIt() throws {
    let failure = try failure(Array(#"{"type":"a","n":"Caf"#.utf8) + [0xE9] + Array("\"}\n".utf8))
    #expect(failure?.code == "E_UTF8")
    #expect(failure?.message == "invalid UTF-8 at byte 21 (0xE9): the input is not UTF-8 (most likely Windows-1252); "
              + "convert it with iconv -f WINDOWS-1252 -t UTF-8")
  }

  @Test(arguments: [
    ("{", true), ("[", true), ("  \"type\": \"qs.school\",", true), ("  \"type\": \"qs.school\"", true),
    ("}", true), ("  ],", true), ("\"a\\\"b\" : {", true),
    (#"{"type":"a","id":"1""#, false), (#"{"type":"a" "id":"1"}"#, false), ("not json", false), ("\"a\" x", false),
  ] as [(String, Bool)])
  func piecesOfPrettyPrintedJSONAreRecognised(line: String, piece: Bool) {
    var text = line
    #expect(text.withUTF8 { PrettyPrintedJSON.looksLikePart($0) } == piece)
  }

  @Test func prettyPrintedJSONGetsTheAdviceAndACompactLineCutShortDoesNot() throws {
    let pretty = try failure(Array("{\n  \"type\": \"qs.school\"\n}\n".utf8))
    #expect(pretty?.message == "unexpected end of line inside an object at byte 2: " + PrettyPrintedJSON.advice)
    let cut = try failure(Array(#"{"type":"a","id":"1""#.utf8))
    #expect(cut?.message == "unexpected end of line inside an object at byte 21")
  }
}
