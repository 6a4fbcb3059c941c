import RecordStream
import Testing

struct LineReaderTests {
  @Test func splitsLinesAndStripsCR() throws {
    #expect(try lines(of: Array("a\nbb\r\n\nccc".utf8)) == ["1:a", "2:bb", "3:", "4:ccc"])
  }

  @Test func emptyInputHasNoLines() throws {
    #expect(try lines(of: []) == [])
  }

  @Test func linesAcrossChunkBoundariesStayWhole() throws {
    // Lines of 70,000 bytes straddle the reader's 64 KiB buffer.
    let long = String(repeating: "x", count: 70_000)
    let result = try lines(of: Array("\(long)\nshort\n\(long)".utf8))
    #expect(result.count == 3)
    #expect(result[0] == "1:" + long)
    #expect(result[1] == "2:short")
    #expect(result[2] == "3:" + long)
  }

  @Test func aLineOverTheLimitIsSkippedNotHeld() throws {
    let limit = 100_000
    let huge = String(repeating: "y", count: 3_000_000)
    let result = try lines(of: Array("ok\n\(huge)\nafter\n\(huge)".utf8), maxLineBytes: limit)
    #expect(result == ["1:ok", "2:TOO LONG 3000000", "3:after", "4:TOO LONG 3000000"])
  }
}
