import CleverMapping
import RecordStream
import Testing

struct ExtractBracketTests {
  func note(_ bracket: inout ExtractBracket, _ status: String, line: Int) {
    bracket.note(type: "extract", object: JSONObject([("type", .string("extract")), ("status", .string(status))]), line: line)
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
}
