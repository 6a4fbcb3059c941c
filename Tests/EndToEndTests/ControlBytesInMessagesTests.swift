import Foundation
import Testing

/// No message carries a control character of the input to the terminal (a NUL, a
/// bell, an escape sequence that recolours or clears it): a binary file is summarised,
/// a value holding control characters is quoted with them escaped as `\u{1b}`.
@Suite struct ControlBytesInMessagesTests {
  /// Every C0 control, DEL, escape sequences (colour, clear screen, a window title)
  /// and a C1 control (U+009B, CSI).
  static let binary: [UInt8] = Array(0x00...0x1F) + [0x7F] + Array("\u{1B}[31mred\u{1B}[2J\u{1B}]0;title\u{07}".utf8)
    + [0xC2, 0x9B] + Array("1m".utf8)
  static let manifest = #"{"format":"qs-extract-dump","version":1,"itemsPerPage":25,"schools":["s"]}"#

  /// Runs `script` with its standard error captured as bytes.
  private func stderrBytes(of script: String, in scratch: TempDirectory) throws -> (status: String, bytes: [UInt8]) {
    let result = try Tool.shell("\(script) > /dev/null 2> '\(scratch.path)/stderr'; echo $?")
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: scratch.path + "/stderr")))
    return (result.text.trimmingCharacters(in: .whitespacesAndNewlines), bytes)
  }

  /// The bytes hold no control character but line feeds: no C0, no DEL, no C1.
  private func expectNoControls(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    let text = String(decoding: bytes, as: UTF8.self)
    let controls = text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F..<0xA0).contains($0.value)) }
    #expect(controls.isEmpty, "control characters \(controls.map { String($0.value, radix: 16) }) in: \(text.debugDescription)",
            sourceLocation: sourceLocation)
  }

  /// Replays a dump whose manifest and school file hold these bytes; the status and
  /// standard error, after checking that it holds no control character.
  private func replay(manifest: [UInt8], school: [UInt8]? = nil, in scratch: TempDirectory,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: String, text: String) {
    try FileManager.default.createDirectory(atPath: scratch.path + "/dump/s", withIntermediateDirectories: true)
    _ = try scratch.write("dump/manifest.json", bytes: manifest)
    if let school { _ = try scratch.write("dump/s/school.json", bytes: school) }
    let (status, bytes) = try stderrBytes(of: "qs-extract --from '\(scratch.path)/dump'", in: scratch)
    expectNoControls(bytes, sourceLocation: sourceLocation)
    return (status, String(decoding: bytes, as: UTF8.self))
  }

  @Test func aBinaryManifestIsSummarised() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let (status, text) = try replay(manifest: Self.binary, in: scratch)
    #expect(status == "65")
    #expect(text.contains("dump/manifest.json: not a JSON object; it begins: binary data, \(Self.binary.count) bytes"), "\(text)")
  }

  @Test func aBinaryPageIsSummarisedAndNamed() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let (status, text) = try replay(manifest: Array(Self.manifest.utf8), school: Self.binary, in: scratch)
    #expect(status == "76")
    #expect(text.contains("[E_QS_SHAPE] GET /school (\(scratch.path)/dump/s/school.json): not JSON: unexpected control character "
                            + "U+0000"), "\(text)")
    #expect(text.contains("the answer began: binary data, \(Self.binary.count) bytes"), "\(text)")
  }

  /// Text with an escape sequence in it is quoted, the sequence written out.
  @Test func aPageOfTextWithEscapesIsQuotedEscaped() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let (_, text) = try replay(
      manifest: Array(Self.manifest.utf8), school: Array("<html>\u{1B}[2J\u{7F}oops</html>".utf8), in: scratch)
    #expect(text.contains(#"the answer began: "<html>\u{1b}[2J\u{7f}oops</html>""#), "\(text)")
  }

  /// A value that decodes to control characters (JSON's "\u001b") is quoted escaped,
  /// whatever the message: every tool's messages go through the same reporter.
  @Test func aValueWithControlCharactersIsQuotedEscaped() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let input = try scratch.write("bad.ndjson", """
      {"type":"qs.school","id":"1","name":"S","code":"s"}
      {"type":"qs.student","id":"s1","schoolId":"1","firstName":"A","lastName":"B","classId":"\\u001b[2J\\u0000\\u0007"}

      """)
    let (status, bytes) = try stderrBytes(of: "clever-map '\(input)'", in: scratch)
    expectNoControls(bytes)
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(status == "65")
    #expect(text.contains(#"[E_UNKNOWN_CLASS] class "\u{1b}[2J\u{0}\u{7}" is not defined"#), "\(text)")
  }
}
