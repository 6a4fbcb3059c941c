import Foundation
import Testing

/// Bad input gets a clear message naming the line, the documented status, and no
/// output set is changed or left half-written.
@Suite(.serialized) struct BadInputTests {
  static let school = #"{"type":"qs.school","id":"1","name":"S","code":"s"}"#
  static let gradeLevel = #"{"type":"qs.class","id":"c1","schoolId":"1","name":"Fifth","abbreviation":"5"}"#
  static let student = #"{"type":"qs.student","id":"s1","schoolId":"1","firstName":"A","lastName":"B","classId":"c1"}"#

  /// Runs `clever-map | clever-csv write` over a directory that holds a good set, and
  /// checks that the set is untouched afterwards.
  private func expectRefused(
    _ input: [UInt8], status: Int32, message: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let out = scratch.path + "/out"
    let good = try Tool.shell("clever-map '\(Tool.exampleSchool)' 2>/dev/null | clever-csv -o '\(out)' >/dev/null")
    #expect(good.status == 0, sourceLocation: sourceLocation)
    let before = try scratch.snapshot(out)
    let path = try scratch.write("bad.ndjson", bytes: input)

    let mapped = try Tool.run("clever-map", [path])
    #expect(mapped.status == status, "\(mapped.stderr)", sourceLocation: sourceLocation)
    #expect(mapped.stderr.contains(message), "stderr was: \(mapped.stderr)", sourceLocation: sourceLocation)

    let piped = try Tool.shell("clever-map '\(path)' 2>/dev/null | clever-csv -o '\(out)'; echo \"${PIPESTATUS[*]}\"")
    #expect(piped.text.hasSuffix(" 65\n"), "clever-csv must refuse: \(piped.text) \(piped.stderr)", sourceLocation: sourceLocation)
    #expect(try scratch.snapshot(out) == before, "the previous set must survive", sourceLocation: sourceLocation)
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["bad.ndjson", "out"],
            sourceLocation: sourceLocation)
  }

  private func lines(_ lines: String...) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

  @Test func malformedJSON() throws {
    try expectRefused(lines(Self.school, #"{"type":"qs.teacher","id":"t1""#, Self.student), status: 65,
                      message: "bad.ndjson:2: error: [E_JSON] unexpected end of line inside an object at byte 31")
  }

  @Test func aLineThatIsNotAnObject() throws {
    try expectRefused(lines(Self.school, #"["qs.teacher"]"#), status: 65,
                      message: "bad.ndjson:2: error: [E_NOT_OBJECT] expected a JSON object, got an array")
  }

  @Test func aRecordWithoutType() throws {
    try expectRefused(lines(Self.school, #"{"id":"t1"}"#), status: 65,
                      message: "bad.ndjson:2: error: [E_NO_TYPE] record has no string \"type\"")
  }

  @Test func aNumberWhereAStringBelongs() throws {
    try expectRefused(lines(Self.school, #"{"type":"qs.teacher","id":5001}"#), status: 65,
                      message: "bad.ndjson:2: error: [E_FIELD_TYPE] \"id\" must be a string, got a number")
  }

  @Test func invalidUTF8() throws {
    try expectRefused(Array((Self.school + "\n" + #"{"type":"qs.teacher","id":"t","lastName":""#).utf8) + [0xE9]
                        + Array("\"}\n".utf8),
                      status: 65, message: "bad.ndjson:2: error: [E_UTF8] invalid UTF-8 at byte 43")
  }

  @Test func aLineOfSeveralMegabytes() throws {
    let huge = #"{"type":"qs.teacher","id":"t","title":""# + String(repeating: "x", count: 5_000_000) + #""}"#
    try expectRefused(lines(Self.school, huge), status: 65,
                      message: "bad.ndjson:2: error: [E_LINE_TOO_LONG] line is 5000041 bytes, longer than the limit")
  }

  @Test func emptyInput() throws {
    try expectRefused([], status: 65, message: "error: [E_EMPTY]")
  }

  @Test func aStudentNamingAClassThatDoesNotExist() throws {
    try expectRefused(lines(Self.school, Self.student), status: 65,
                      message: "bad.ndjson:2: error: [E_UNKNOWN_CLASS] class \"c1\" is not defined before this record")
  }

  @Test func aReferenceRecordAfterTheRecordsThatNeedIt() throws {
    try expectRefused(lines(Self.school, Self.student, Self.gradeLevel), status: 65,
                      message: "bad.ndjson:2: error: [E_UNKNOWN_CLASS]")
  }

  @Test func keepGoingSkipsCountsAndReports() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let path = try scratch.write("in.ndjson", """
      \(Self.school)
      \(Self.gradeLevel)
      not json
      \(Self.student)
      {"type":"qs.student","id":"s2","classId":"nope"}

      """)
    let result = try Tool.run("clever-map", ["--keep-going", path])
    #expect(result.status == 0)
    #expect(result.stderr.contains("in.ndjson:3: error: [E_JSON]"))
    #expect(result.stderr.contains("in.ndjson:5: error: [E_UNKNOWN_CLASS]"))
    #expect(result.stderr.contains("skipped 2 bad lines"))
    #expect(result.lines.count == 2)  // the student and the school
  }

  @Test func csvWriteRefusesAStreamWhoseValidationCountsErrors() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let records = try scratch.write("in.ndjson", """
      {"type":"clever.school","School_id":"1","School_name":"S","School_number":"1"}
      {"type":"validation","errors":2,"warnings":0,"records":1}

      """)
    let refused = try Tool.run("clever-csv", ["-o", scratch.path + "/out", records])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("[E_VALIDATION]"))
    #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    let forced = try Tool.run("clever-csv", ["-o", scratch.path + "/out", "--force", records])
    #expect(forced.status == 0)
  }

  @Test func csvWriteRefusesAStreamCutShortBeforeItsSchools() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let records = try scratch.write("in.ndjson", """
      {"type":"clever.teacher","School_id":"1","Teacher_id":"t","First_name":"A","Last_name":"B"}

      """)
    let refused = try Tool.run("clever-csv", ["-o", scratch.path + "/out", records])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("[E_INCOMPLETE] records name School_id \"1\""))
  }

  @Test func csvReadNamesTheFileAndLineOfMalformedCSV() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    #expect(try Tool.shell("clever-map '\(Tool.exampleSchool)' 2>/dev/null | clever-csv -o '\(scratch.path)/set'").status == 0)
    let students = scratch.path + "/set/students.csv"
    var text = try String(contentsOfFile: students, encoding: .utf8)
    text += "300794,9999,\"unterminated\r\n"
    try text.write(toFile: students, atomically: false, encoding: .utf8)
    let result = try Tool.run("clever-csv", ["read", scratch.path + "/set"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("students.csv:54: error: [E_CSV] unterminated quoted field"))
    let missing = try Tool.run("clever-csv", ["read", scratch.path + "/nowhere"])
    #expect(missing.status == 66)
  }

  @Test func aReadThatFailsHalfwayCannotReplaceAGoodSet() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    #expect(try Tool.shell("clever-map '\(Tool.exampleSchool)' 2>/dev/null | clever-csv -o '\(scratch.path)/set'").status == 0)
    #expect(try Tool.shell("clever-csv -o '\(scratch.path)/copy' < /dev/null --allow-empty").status == 0)
    let before = try scratch.snapshot(scratch.path + "/copy")
    let enrollments = scratch.path + "/set/enrollments.csv"
    var text = try String(contentsOfFile: enrollments, encoding: .utf8)
    text += "300794,\"9001\"x,7001\r\n"
    try text.write(toFile: enrollments, atomically: false, encoding: .utf8)
    let result = try Tool.shell(
      "clever-csv read '\(scratch.path)/set' | clever-csv write -o '\(scratch.path)/copy'; echo \"${PIPESTATUS[*]}\"")
    #expect(result.text == "65 65\n", "\(result.stderr)")
    #expect(result.stderr.contains("enrollments.csv:152: error: [E_CSV] text after the closing quote"))
    // What read wrote before failing (if anything left its buffer) names schools that
    // never come: write refuses either a cut-short stream or an empty one.
    #expect(result.stderr.contains("[E_INCOMPLETE]") || result.stderr.contains("[E_EMPTY]"))
    #expect(try scratch.snapshot(scratch.path + "/copy") == before)
  }

  @Test func aDiagnosticsFileThatCannotBeCreatedExits73AndFatalErrorsReachIt() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let denied = try Tool.run("clever-map", ["--diagnostics", scratch.path + "/no/such/dir/d.ndjson", Tool.exampleSchool])
    #expect(denied.status == 73)
    #expect(denied.stderr.contains("error: [E_OUTPUT] cannot create"))
    let input = try scratch.write("in.ndjson", "\(Self.school)\n{\"type\":\"qs.teacher\",\"id\":7}\n")
    let diagnostics = scratch.path + "/d.ndjson"
    let failed = try Tool.run("clever-map", ["--diagnostics", diagnostics, input])
    #expect(failed.status == 65)
    let recorded = try String(contentsOfFile: diagnostics, encoding: .utf8)
    #expect(recorded.contains(#""code":"E_FIELD_TYPE""#) && recorded.contains(#""line":2"#), "\(recorded)")
  }
}
