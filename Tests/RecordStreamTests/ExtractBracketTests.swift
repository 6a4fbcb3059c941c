import RecordStream
import Testing
import RosterRecords

struct ExtractBracketTests {
  func note(_ bracket: inout ExtractBracket, _ status: String, line: Int, schools: [String] = ["lincoln"],
            source: String = "api") {
    bracket.note(
      type: "extract",
      object: JSONObject([("type", .string("extract")), ("status", .string(status)), ("source", .string(source)),
                          ("schools", .array(schools.map { .string($0) }))]),
      line: line)
  }

  @Test func aStreamWithoutAnExtractIsWhole() {
    var bracket = ExtractBracket()
    bracket.note(type: "qs.school", object: JSONObject(), line: 1)
    #expect(bracket.problem == nil)
  }

  @Test func anOpenedExtractMustBeClosed() {
    var bracket = ExtractBracket()
    note(&bracket, "started", line: 1)
    bracket.note(type: "qs.student", object: JSONObject(), line: 2)
    #expect(bracket.problem?.contains("began on line 1 never finished") == true)
    note(&bracket, "complete", line: 3)
    #expect(bracket.problem == nil)
  }

  @Test func eachExtractOfAConcatenatedStreamNeedsItsOwnClose() {
    var bracket = ExtractBracket()
    note(&bracket, "started", line: 1, schools: ["a"])
    note(&bracket, "complete", line: 5, schools: ["a"])
    note(&bracket, "started", line: 6, schools: ["b"])
    #expect(bracket.problem?.contains("began on line 6") == true)
    // A close of another extract does not close it.
    note(&bracket, "complete", line: 9, schools: ["a"])
    #expect(bracket.problem?.contains("began on line 6") == true)
    note(&bracket, "complete", line: 10, schools: ["b"])
    // The stray close of "a" on line 9 remains: it closes nothing that began here.
    #expect(bracket.problem?.contains("line 9 closes the extract of a (api)") == true)
  }

  @Test func theSameSchoolTwiceNeedsTwoCloses() {
    var bracket = ExtractBracket()
    note(&bracket, "started", line: 1)
    note(&bracket, "complete", line: 4)
    note(&bracket, "started", line: 5)
    #expect(bracket.problem?.contains("began on line 5") == true)
    note(&bracket, "complete", line: 8)
    #expect(bracket.problem == nil)
    #expect(bracket.extracts == 2)
  }

  @Test func nestedOrInterleavedExtractsAreMatchedWhereverTheyStand() {
    var bracket = ExtractBracket()
    note(&bracket, "started", line: 1, schools: ["a"])
    note(&bracket, "started", line: 2, schools: ["b"])
    note(&bracket, "complete", line: 7, schools: ["a"])
    note(&bracket, "complete", line: 8, schools: ["b"])
    #expect(bracket.problem == nil)
    note(&bracket, "started", line: 9, schools: ["a"], source: "dump")
    note(&bracket, "complete", line: 10, schools: ["a"], source: "api")
    #expect(bracket.problem?.contains("began on line 9") == true)
  }

  @Test func aCloseWithoutItsStartMeansTheHeadIsMissing() {
    var bracket = ExtractBracket()
    bracket.note(type: "qs.enrollment", object: JSONObject(), line: 1)
    note(&bracket, "complete", line: 2)
    #expect(bracket.problem?.contains("line 2 closes the extract of lincoln (api), which never began") == true)
  }
}
