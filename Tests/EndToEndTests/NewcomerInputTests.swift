import Foundation
import Testing

/// What a newcomer's first inputs get from the built tools (issue 16): a message that
/// says what happened and what to do, and the documented exit status. Real bytes on
/// standard input: a NUL, a byte-order mark, Windows-1252, pretty-printed JSON, nothing
/// at all, a control character in a value.
@Suite struct NewcomerInputTests {
  static let school = #"{"type":"qs.school","id":"1","name":"S","code":"s"}"#
  static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// Runs `tool` with `bytes` on standard input.
  private func run(_ tool: String, _ arguments: [String] = [], input bytes: [UInt8]) throws -> Tool.Result {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    return try Tool.run(tool, arguments, stdin: try scratch.write("in", bytes: bytes))
  }

  private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  // MARK: Control characters in JSON strings

  @Test func aRawControlCharacterInAStringNamesItsFourDigitEscape() throws {
    for (byte, escape) in [(UInt8(0), #"\u0000"#), (1, #"\u0001"#), (0x1F, #"\u001f"#)] {
      let result = try run("clever-map", input: bytes(#"{"type":"qs.school","a":"x"#) + [byte] + bytes("y\"}\n"))
      #expect(result.status == 65)
      #expect(result.stderr.contains(
        "clever-map: <stdin>:1: error: [E_JSON] control character in a string (escape it as \(escape)) at byte 27\n"),
              "\(result.stderr)")
    }
  }

  /// clever-validate reads Clever lines through a fast decoder first; a line it does not
  /// take goes to the general parser, whose message is the one given.
  @Test func aCleverLineWithARawNULGetsTheSameMessageThroughTheFastDecoder() throws {
    let line = bytes(#"{"type":"clever.school","School_id":"x"#) + [0] + bytes("y\"}\n")
    let result = try run("clever-validate", input: line)
    #expect(result.status == 65)
    #expect(result.stderr.contains(
      #"clever-validate: <stdin>:1: error: [E_JSON] control character in a string (escape it as \u0000) at byte 39"#),
            "\(result.stderr)")
  }

  // MARK: Byte-order marks

  @Test func aByteOrderMarkAtTheStartOfTheStreamIsSkipped() throws {
    let plain = try run("clever-map", input: bytes(Self.school + "\n"))
    let marked = try run("clever-map", input: Self.bom + bytes(Self.school + "\n"))
    #expect(plain.status == 0 && marked.status == 0, "\(marked.stderr)")
    #expect(marked.stdout == plain.stdout)
    // clever-validate passes lines on byte for byte: the mark is not one of them.
    let clever = #"{"type":"clever.school","School_id":"1","School_name":"S","School_number":"1"}"#
    let validated = try run("clever-validate", input: Self.bom + bytes(clever + "\n"))
    #expect(validated.status == 0, "\(validated.stderr)")
    #expect(validated.lines.first == clever)
  }

  @Test func aByteOrderMarkElsewhereIsNamed() throws {
    let second = try run("clever-map", input: bytes(Self.school + "\n") + Self.bom + bytes(Self.school + "\n"))
    #expect(second.status == 65)
    #expect(second.stderr.contains(
      "clever-map: <stdin>:2: error: [E_JSON] the line starts with a byte-order mark (U+FEFF), which only the first line "
        + "of the stream may have (were files that each start with one joined?); remove it: sed 's/^\\xEF\\xBB\\xBF//'"),
            "\(second.stderr)")
    let inside = try run("clever-map", input: bytes(#"{"type":"qs.school","a":"#) + Self.bom + bytes("\"x\"}\n"))
    #expect(inside.status == 65)
    #expect(inside.stderr.contains("[E_JSON] unexpected byte-order mark (U+FEFF), expected a value at byte 25"),
            "\(inside.stderr)")
  }

  // MARK: Another encoding

  @Test func windows1252NamesTheEncodingAndTheConversionThatWorks() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let path = try scratch.write("cafe.ndjson", bytes: bytes(#"{"type":"qs.school","id":"1","name":"Caf"#) + [0xE9]
                                   + bytes(#"","code":"s"}"# + "\n"))
    let refused = try Tool.run("clever-map", stdin: path)
    #expect(refused.status == 65)
    #expect(refused.stderr.contains(
      "clever-map: <stdin>:1: error: [E_UTF8] invalid UTF-8 at byte 41 (0xE9): the input is not UTF-8 (most likely "
        + "Windows-1252); convert it with iconv -f WINDOWS-1252 -t UTF-8\n"), "\(refused.stderr)")
    // The advice works.
    let converted = try Tool.shell("iconv -f WINDOWS-1252 -t UTF-8 < '\(path)' | clever-map")
    #expect(converted.status == 0, "\(converted.stderr)")
    #expect(converted.text.contains(#""School_name":"Café""#))
  }

  /// clever-validate over the example school's set with a staff.csv whose one row has
  /// `firstName`'s bytes.
  private func validateExampleSet(staffFirstName firstName: [UInt8]) throws -> Tool.Result {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let set = scratch.path + "/set"
    #expect(try Tool.shell("clever-map '\(Tool.exampleSchool)' 2>/dev/null | clever-csv -o '\(set)'").status == 0)
    _ = try scratch.write("set/staff.csv", bytes: bytes("School_id,Staff_id,Staff_email,First_name,Last_name\r\n"
                                                         + "300794,F1,f1@example.org,") + firstName + bytes(",Doe\r\n"))
    return try Tool.run("clever-validate", [set])
  }

  @Test func aWindows1252CSVFileGetsTheSameAdvice() throws {
    let result = try validateExampleSet(staffFirstName: bytes("Ren") + [0xE9])
    #expect(result.status == 65)
    #expect(result.stderr.contains(
      "clever-validate: staff.csv:2: error: [E_CSV] invalid UTF-8 in field 4: the file is not UTF-8 (most likely "
        + "Windows-1252); convert it with iconv -f WINDOWS-1252 -t UTF-8;"), "\(result.stderr)")
  }

  // MARK: Pretty-printed JSON

  @Test func prettyPrintedJSONSaysOneObjectPerLine() throws {
    let advice = "this looks like pretty-printed JSON, but the stream takes one JSON object per line (use jq -c)"
    let pretty = bytes("{\n  \"type\": \"qs.school\",\n  \"id\": \"1\"\n}\n")
    let stopped = try run("clever-map", input: pretty)
    #expect(stopped.status == 65)
    #expect(stopped.stderr.contains(
      "clever-map: <stdin>:1: error: [E_JSON] unexpected end of line inside an object at byte 2: \(advice)\n"),
            "\(stopped.stderr)")
    // Under --keep-going every piece says so.
    let skipped = try run("clever-map", ["--keep-going"], input: pretty)
    for line in 1...4 {
      #expect(skipped.stderr.contains("<stdin>:\(line): error: [E_JSON] "), "line \(line)")
    }
    #expect(skipped.stderr.components(separatedBy: advice).count == 5, "\(skipped.stderr)")
    // A compact line cut short is not taken for pretty-printing.
    let cut = try run("clever-map", input: bytes(#"{"type":"qs.teacher","id":"t1""# + "\n"))
    #expect(cut.status == 65)
    #expect(cut.stderr.contains("[E_JSON] unexpected end of line inside an object at byte 31\n"), "\(cut.stderr)")
  }

  // MARK: Empty input to clever-validate

  @Test func anEmptyStreamFailsUnlessAllowed() throws {
    let empty = try run("clever-validate", input: [])
    #expect(empty.status == 65)
    #expect(empty.stderr.contains(
      "clever-validate: error: [E_EMPTY] <stdin> holds no Clever records; uploaded, an empty set would delete "
        + "everything in Clever (--allow-empty accepts it)\n"), "\(empty.stderr)")
    #expect(empty.text == #"{"type":"validation","errors":1,"warnings":0,"records":0,"strict":false}"# + "\n",
            "the validation record counts it, so clever-csv writes nothing")
    // Blank lines and records of other types are no Clever records either.
    let other = try run("clever-validate", input: bytes("\n{\"type\":\"note\"}\n"))
    #expect(other.status == 65)
    #expect(other.stderr.contains("[E_EMPTY]"))
    let allowed = try run("clever-validate", ["--allow-empty"], input: [])
    #expect(allowed.status == 0, "\(allowed.stderr)")
    #expect(allowed.stderr.isEmpty)
    #expect(allowed.text == #"{"type":"validation","errors":0,"warnings":0,"records":0,"strict":false}"# + "\n")
  }

  @Test func anEmptyDirectoryOrASetOfHeadersFailsAsAnEmptyStreamDoes() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let none = scratch.path + "/none"
    try FileManager.default.createDirectory(atPath: none, withIntermediateDirectories: false)
    let nothing = try Tool.run("clever-validate", [none])
    #expect(nothing.status == 65)
    #expect(nothing.stderr.contains("schools.csv: error: [E_MISSING_FILE]"))
    #expect(nothing.stderr.contains("error: [E_EMPTY] \(none) holds no Clever records;"), "\(nothing.stderr)")

    let headers = scratch.path + "/headers"
    #expect(try Tool.shell("clever-csv -o '\(headers)' --allow-empty < /dev/null").status == 0)
    let refused = try Tool.run("clever-validate", [headers])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("students.csv:1: warning: [W_NO_ROWS]"))
    #expect(refused.stderr.contains("error: [E_EMPTY] \(headers) holds no Clever records;"), "\(refused.stderr)")
    #expect(try Tool.run("clever-validate", ["--allow-empty", headers]).status == 0)
    // Named files are parts of a set: a header-only file is a warning, not an empty set.
    let part = try Tool.run("clever-validate", [headers + "/schools.csv"])
    #expect(part.status == 0, "\(part.stderr)")
    #expect(!part.stderr.contains("E_EMPTY"))
  }

  // MARK: Control characters in Clever values

  static let cleverSet = """
    {"type":"clever.teacher","School_id":"1","Teacher_id":"t1","First_name":"A\\u0000n","Last_name":"B"}
    {"type":"clever.student","School_id":"1","Student_id":"p1","First_name":"C","Last_name":"D","contacts":[{"Contact_name":"E\\u001bF","Contact_type":"Parent/Guardian"}]}
    {"type":"clever.school","School_id":"1","School_name":"S\\tT","School_number":"1","School_address":"1 Main St\\r\\nSuite 2"}

    """
  static let nulProblem = "First_name holds the control character U+0000 at byte 2; a Clever value may hold no "
    + "control character but tab and line breaks: remove it where the value comes from"

  @Test func cleverValidateReportsAControlCharacterInAValueWithItsLineAndColumn() throws {
    let result = try run("clever-validate", input: bytes(Self.cleverSet))
    #expect(result.status == 1)
    #expect(result.stderr.contains(
      "clever-validate: <stdin>:1: error: [E_CONTROL_CHAR] teacher \"t1\": \(Self.nulProblem)\n"), "\(result.stderr)")
    #expect(result.stderr.contains(
      "clever-validate: <stdin>:2: error: [E_CONTROL_CHAR] student \"p1\": contact 1: Contact_name holds the control "
        + "character U+001B at byte 2;"), "\(result.stderr)")
    #expect(!result.stderr.contains("<stdin>:3:"), "a tab and a quoted line break are text: \(result.stderr)")
  }

  @Test func cleverValidateReportsAControlCharacterInACSVField() throws {
    let result = try validateExampleSet(staffFirstName: bytes("J") + [0x01] + bytes("an"))
    #expect(result.status == 1)
    #expect(result.stderr.contains(
      "clever-validate: staff.csv:2: error: [E_CONTROL_CHAR] staff \"F1\": First_name holds the control character "
        + "U+0001 at byte 2;"), "\(result.stderr)")
  }

  @Test func cleverCSVRefusesARecordWithAControlCharacterAndWritesNothing() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let out = scratch.path + "/out"
    let refused = try run("clever-csv", ["-o", out], input: bytes(Self.cleverSet))
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("clever-csv: <stdin>:1: error: [E_CONTROL_CHAR] teacher \"t1\": \(Self.nulProblem)\n"),
            "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
    // Without the refused values, the tab and the line break are written as they are, the
    // break quoted.
    let clean = Self.cleverSet.replacingOccurrences(of: "A\\u0000n", with: "An")
      .replacingOccurrences(of: "E\\u001bF", with: "EF")
    let written = try run("clever-csv", ["-o", out], input: bytes(clean))
    #expect(written.status == 0, "\(written.stderr)")
    let schools = try String(contentsOfFile: out + "/schools.csv", encoding: .utf8)
    #expect(schools.contains("1,S\tT,1,,,,,,\"1 Main St\r\nSuite 2\","), "\(schools.debugDescription)")
  }
}
