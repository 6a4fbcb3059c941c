import RecordStream
import Testing

/// Input quoted in messages never carries a control character; bytes that are not text
/// are counted, not shown.
struct QuotedInputTests {
  @Test func controlCharactersAreWrittenAsEscapes() {
    #expect(QuotedInput.escaped("a\u{1B}[2Jb\u{0}\u{7F}\u{9B}é") == #"a\u{1b}[2Jb\u{0}\u{7f}\u{9b}é"#)
    #expect(QuotedInput.escaped("one\ntwo\tthree", keepingLines: true) == "one\ntwo\tthree")
    #expect(QuotedInput.escaped("one\ntwo") == #"one\u{a}two"#)
  }

  @Test func anExcerptIsOneQuotedLine() {
    #expect(QuotedInput.excerpt(Array("<html>\n\t<b>down</b>\r\n".utf8)) == #""<html>  <b>down</b>  ""#)
    #expect(QuotedInput.excerpt(Array(repeating: UInt8(ascii: "x"), count: 130), limit: 120)
      == "\"" + String(repeating: "x", count: 120) + "...\"")
    #expect(QuotedInput.excerpt([UInt8]()) == "(an empty body)")
  }

  /// A limit that falls inside a character drops that character, and no more.
  @Test func aLimitInsideACharacterKeepsTheTextText() {
    let text = Array("aé€".utf8)  // 1 + 2 + 3 bytes
    #expect(QuotedInput.excerpt(text + Array("tail".utf8), limit: 5) == #""aé...""#)
  }

  @Test func bytesThatAreNotTextAreCounted() {
    #expect(QuotedInput.excerpt([0x7B, 0x00, 0x7D]) == "binary data, 3 bytes")
    #expect(QuotedInput.excerpt([0xFF, 0xFE, 0x41]) == "binary data, 3 bytes")
    #expect(QuotedInput.excerpt(Array(1...31)) == "binary data, 31 bytes")
    #expect(QuotedInput.excerpt([0x00]) == "binary data, 1 byte")
  }
}
