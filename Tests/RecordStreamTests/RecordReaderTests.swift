import RecordStream
import Testing
import RosterRecords

struct RecordReaderTests {
  private func read(_ text: String, keepGoing: Bool = false) throws -> (types: [String], lines: [Int], skipped: Int) {
    let source = try inputSource(Array(text.utf8))
    defer { source.close() }
    var reader = RecordReader(source: source, keepGoing: keepGoing, reporter: DiagnosticReporter(stage: "test"))
    var types: [String] = []
    var numbers: [Int] = []
    try reader.forEach { record in
      types.append(record.type)
      numbers.append(record.line)
      if record.type == "reject" { throw RecordError("E_TEST", "rejected by consumer") }
    }
    return (types, numbers, reader.skippedCount)
  }

  @Test func readsRecordsWithTheirLineNumbersAndSkipsBlankLines() throws {
    let result = try read("{\"type\":\"a\"}\n\n   \n{\"type\":\"b\",\"x\":[1]}\n")
    #expect(result.types == ["a", "b"])
    #expect(result.lines == [1, 4])
  }

  @Test(arguments: [
    ("{\"type\":\"a\"}\n{\"type\":", "E_JSON", 2),
    ("[1,2]", "E_NOT_OBJECT", 1),
    ("{\"id\":\"1\"}", "E_NO_TYPE", 1),
    ("{\"type\":5}", "E_NO_TYPE", 1),
    ("{\"type\":\"a\"}\n\n\"just a string\"", "E_NOT_OBJECT", 3),
  ] as [(String, String, Int)])
  func badLinesStopWithStatus65NamingTheLine(text: String, code: String, line: Int) throws {
    do {
      _ = try read(text)
      Issue.record("expected a failure")
    } catch let failure as StageFailure {
      #expect(failure.kind == .dataError)
      #expect(failure.code == code)
      #expect(failure.place?.hasSuffix(":\(line)") == true)
    }
  }

  @Test func invalidUTF8NamesTheByte() throws {
    var bytes = Array("{\"type\":\"a\"}\n{\"type\":\"b\",\"n\":\"".utf8)
    bytes += [0xC3, 0x28]
    bytes += Array("\"}\n".utf8)
    let source = try inputSource(bytes)
    defer { source.close() }
    var reader = RecordReader(source: source, keepGoing: false, reporter: DiagnosticReporter(stage: "test"))
    #expect {
      try reader.forEach { _ in }
    } throws: { error in
      guard let failure = error as? StageFailure else { return false }
      return failure.code == "E_UTF8" && failure.place?.hasSuffix(":2") == true && failure.message.contains("byte 18")
    }
  }

  @Test func keepGoingSkipsAndCountsBadLinesAndRejectedRecords() throws {
    let result = try read("{\"type\":\"a\"}\nnot json\n{\"type\":\"reject\"}\n{\"type\":\"b\"}\n", keepGoing: true)
    #expect(result.types == ["a", "reject", "b"])
    #expect(result.skipped == 2)
  }

  @Test func consumerErrorsStopWithTheLine() throws {
    #expect {
      _ = try read("{\"type\":\"a\"}\n{\"type\":\"reject\"}\n")
    } throws: { error in
      (error as? StageFailure)?.place?.hasSuffix(":2") == true && (error as? StageFailure)?.code == "E_TEST"
    }
  }

  @Test func fieldAccessorsEnforceKinds() throws {
    guard case .object(let object) = try JSONParser.parse(#"{"s":"x","n":5,"b":true,"a":["1",2]}"#) else { return }
    #expect(try object.string("s") == "x")
    #expect(try object.string("missing") == "")
    #expect(throws: RecordError("E_FIELD_TYPE", "\"n\" must be a string, got a number", field: "n")) {
      try object.string("n")
    }
    #expect(try object.bool("b"))
    #expect(throws: RecordError.self) { try object.bool("s") }
    #expect(throws: RecordError("E_FIELD_TYPE", "\"a\"[1] must be a string, got a number", field: "a")) {
      try object.strings("a")
    }
  }
}
