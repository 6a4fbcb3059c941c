import Testing

@testable import SyncProfile

/// The text scan that gives keys their lines, since TOMLKit gives lines only to syntax errors.
@Suite struct KeyLinesTests {
  @Test func headersKeysAndArrays() {
    let lines = KeyLines(text: """
      a = 1
      [sftp]   # comment
        verify = true
      "quoted key" = 2
      [[blackout]]
      from = 1
      [[blackout]]
      from = 2
      [blackout.extra]
      x = 1
      [ notify . "inner" ]
      y = 1
      """)
    #expect(lines.line(of: ["a"]) == 1)
    #expect(lines.line(of: ["sftp"]) == 2)
    #expect(lines.line(of: ["sftp", "verify"]) == 3)
    #expect(lines.line(of: ["sftp", "quoted key"]) == 4)
    #expect(lines.line(of: ["blackout", "0", "from"]) == 6)
    #expect(lines.line(of: ["blackout", "1", "from"]) == 8)
    #expect(lines.line(of: ["blackout", "1", "extra", "x"]) == 10)
    #expect(lines.line(of: ["blackout"]) == 5)
    #expect(lines.line(of: ["notify", "inner", "y"]) == 12)
    #expect(lines.line(of: ["notify"]) == 11)
    #expect(lines.line(of: ["sftp", "nothing"]) == 2)  // falls back to the table
    #expect(lines.line(of: ["nowhere"]) == nil)
  }

  /// Lines inside a multi-line string are text, not keys.
  @Test func multilineStrings() {
    let lines = KeyLines(text: #"""
      note = """
      password = "not a key"
      """
      password = 1
      other = '''one line'''
      key = 2
      """#)
    #expect(lines.line(of: ["password"]) == 4)
    #expect(lines.line(of: ["key"]) == 6)
  }

  @Test func dottedKeys() {
    let lines = KeyLines(text: "x = 1\nsftp.verify = true\n")
    #expect(lines.line(of: ["sftp", "verify"]) == 2)
    #expect(lines.line(of: ["sftp"]) == 2)
  }
}
