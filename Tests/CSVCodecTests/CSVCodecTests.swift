import CSVCodec
import Foundation
import Testing

struct CSVWriterTests {
  @Test(arguments: [
    (["a", "b"], "a,b\r\n"),
    (["", ""], ",\r\n"),
    (["Smith, Jr.", "plain"], "\"Smith, Jr.\",plain\r\n"),
    (["Robert \"Bobby\""], "\"Robert \"\"Bobby\"\"\"\r\n"),
    (["two\nlines", "cr\rtoo"], "\"two\nlines\",\"cr\rtoo\"\r\n"),
    (["O'Brien", "Zoë"], "O'Brien,Zoë\r\n"),
  ] as [([String], String)])
  func quotesOnlyWhatNeedsIt(fields: [String], expected: String) {
    var out: [UInt8] = []
    CSVWriter.appendRow(fields, to: &out)
    #expect(String(decoding: out, as: UTF8.self) == expected)
  }
}

struct CSVParserTests {
  private func rows(_ text: String) throws -> [CSVRow] { try CSVFileReader.rows(of: Array(text.utf8)) }

  @Test func readsQuotedFieldsAndCountsPhysicalLines() throws {
    let result = try rows("h1,h2\r\n\"a, b\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\r\nlast,row")
    #expect(result == [
      CSVRow(line: 1, fields: ["h1", "h2"]),
      CSVRow(line: 2, fields: ["a, b", "say \"hi\""]),
      CSVRow(line: 3, fields: ["multi\nline", "x"]),
      CSVRow(line: 5, fields: ["last", "row"]),
    ])
  }

  @Test func acceptsBOMAndLFAndCRAndBlankLines() throws {
    let result = try CSVFileReader.rows(of: [0xEF, 0xBB, 0xBF] + Array("a,b\n\nc,d\re,f\n".utf8))
    #expect(result.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"]])
    #expect(result.map(\.line) == [1, 3, 4])
  }

  @Test func emptyFieldsAndTrailingComma() throws {
    #expect(try rows("a,,\r\n\"\",b\r\n").map(\.fields) == [["a", "", ""], ["", "b"]])
  }

  @Test(arguments: [
    ("a,b\n\"open,x\ny,z\n", 2, "unterminated quoted field (the quote opened on line 2 is never closed)"),
    ("a,b\nab\"c,d\n", 2, "a quote inside an unquoted field (quote the whole field and double the quote)"),
    ("a,b\n\"ab\"c,d\n", 2, "text after the closing quote of a field"),
    ("a,b\nc,d\u{0}\n", 2, "NUL byte in the file (is it really a CSV text file?)"),
  ] as [(String, Int, String)])
  func rejectsMalformedCSVNamingTheLine(text: String, line: Int, reason: String) {
    #expect(throws: CSVError(line: line, reason: reason)) { try rows(text) }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: CSVError(line: 1, reason: "invalid UTF-8 in field 2: the file is not UTF-8 (most likely Windows-1252); "
                                       + "convert it with iconv -f WINDOWS-1252 -t UTF-8")) {
      try CSVFileReader.rows(of: Array("a,".utf8) + [0xFF, 0x0A])
    }
  }

  @Test func anUnbalancedQuoteCannotMakeARowHoldTheFile() {
    let text = "a\n\"" + String(repeating: "x,", count: 5000)
    #expect(throws: CSVError.self) { try CSVFileReader.rows(of: Array(text.utf8), maxRowBytes: 1000) }
  }

  @Test func writerOutputReadsBackToTheSameFields() throws {
    let rows: [[String]] = [["id", "name"], ["1", "Smith, \"Jr.\"\r\nline two"], ["2", ""], ["3", "Łukasz"]]
    var bytes: [UInt8] = []
    for row in rows { CSVWriter.appendRow(row, to: &bytes) }
    #expect(try CSVFileReader.rows(of: bytes).map(\.fields) == rows)
  }

  @Test func splitsAcrossArbitraryChunksLikeWhole() throws {
    let text = Array("\u{FEFF}h,i\r\n\"q,\"\"x\"\"\ny\",z\r\nlast,1".utf8)
    let whole = try CSVFileReader.rows(of: text)
    for size in 1...7 {
      var parser = CSVParser()
      var rows: [CSVRow] = []
      var start = 0
      while start < text.count {
        let chunk = Array(text[start..<min(start + size, text.count)])
        try chunk.withUnsafeBufferPointer { try parser.consume($0) { rows.append($0) } }
        start += size
      }
      try parser.finish { rows.append($0) }
      #expect(rows == whole, "chunk size \(size)")
    }
  }
}
