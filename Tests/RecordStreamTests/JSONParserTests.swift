import RecordStream
import Testing

struct JSONParserTests {
  @Test(arguments: [
    (#"{"type":"qs.school","id":"1"}"#, JSONValue.object(JSONObject([("type", .string("qs.school")), ("id", .string("1"))]))),
    (#"  [1, -2.5e3, true, false, null]  "#, .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
    (#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#, .string("a\"b\\c/d\n\té😀")),
    (#"{"b":1,"a":2}"#, .object(JSONObject([("b", .number("1")), ("a", .number("2"))]))),
    (#""Zoë Łukasz Nguyễn""#, .string("Zoë Łukasz Nguyễn")),
    ("{}", .object(JSONObject())),
    ("[]", .array([])),
  ] as [(String, JSONValue)])
  func parsesValidJSON(text: String, expected: JSONValue) throws {
    #expect(try JSONParser.parse(text) == expected)
  }

  @Test(arguments: [
    (#"{"a":1"#, 6, "unexpected end of line inside an object"),
    (#"{"a" 1}"#, 5, "expected ':' after a key"),
    (#"{a:1}"#, 1, "expected a quoted key"),
    (#"[1,]"#, 3, "unexpected character ']', expected a value"),
    (#"{"a":1} x"#, 8, "unexpected text after the JSON value"),
    (#""abc"#, 0, "unterminated string"),
    (#"01"#, 1, "unexpected text after the JSON value"),
    (#"tru"#, 0, "invalid literal"),
    (#""\x""#, 1, #"invalid escape '\x' in a string"#),
    (#""\ud800""#, 1, #"unpaired UTF-16 surrogate in \u escape"#),
    ("\"a\u{01}b\"", 2, "control character in a string (escape it as \\u0001)"),
    ("\"a\u{00}b\"", 2, "control character in a string (escape it as \\u0000)"),
    ("\"a\\nb\u{1F}\"", 5, "control character in a string (escape it as \\u001f)"),
    ("[\u{FEFF}1]", 1, "unexpected byte-order mark (U+FEFF), expected a value"),
    ("[\u{01}]", 1, "unexpected control character U+0001, expected a value"),
    ("[é]", 1, "unexpected character 'é' (U+00E9), expected a value"),
    ("[“a”]", 1, "unexpected character '“' (U+201C), expected a value"),
    ("\"\\é\"", 1, "invalid escape in a string: '\\' before a character 'é' (U+00E9)"),
    ("", 0, "unexpected end of line, expected a value"),
  ] as [(String, Int, String)])
  func rejectsInvalidJSONAtTheRightByte(text: String, offset: Int, reason: String) {
    #expect(throws: JSONSyntaxError(offset: offset, reason: reason)) { try JSONParser.parse(text) }
  }

  @Test func rejectsDeepNesting() {
    let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
  }

  @Test func writerRoundTripsThroughTheParser() throws {
    let value = JSONValue.object(
      JSONObject([
        ("type", .string("clever.student")), ("quote", .string("say \"hi\"\\ \n\r\t\u{1}")),
        ("accent", .string("José")), ("n", .number("12.5")), ("list", .array([.bool(true), .null])),
      ]))
    let text = JSONWriter.string(value)
    #expect(!text.contains("\n"))
    #expect(try JSONParser.parse(text) == value)
    #expect(text.contains("José"))  // UTF-8, not \u escapes
  }

  @Test func keyLookupTakesTheLastRepeat() throws {
    guard case .object(let object) = try JSONParser.parse(#"{"a":"1","a":"2"}"#) else { Issue.record(); return }
    #expect(object["a"] == .string("2"))
  }
}

struct UTF8CheckTests {
  @Test(arguments: [
    ([0x61, 0x62], nil),
    ([0xC3, 0xA9], nil),
    ([0xF0, 0x9F, 0x98, 0x80], nil),
    ([0x61, 0xFF], 1),
    ([0x61, 0xC3], 1),  // truncated sequence
    ([0xC0, 0xAF], 0),  // overlong
    ([0xED, 0xA0, 0x80], 0),  // surrogate
    ([0xF4, 0x90, 0x80, 0x80], 0),  // beyond U+10FFFF
  ] as [([UInt8], Int?)])
  func findsTheFirstInvalidByte(bytes: [UInt8], expected: Int?) {
    #expect(bytes.withUnsafeBufferPointer { firstInvalidUTF8Offset($0) } == expected)
  }
}
