/// Writes RFC 4180 rows: comma-separated, CRLF-terminated, a field quoted only when it
/// holds a comma, a quote, CR or LF, with inner quotes doubled.
public enum CSVWriter {
  public static func appendRow<S: Sequence>(_ fields: S, to out: inout [UInt8]) where S.Element == String {
    var count = 0
    var lastWasEmpty = false
    for field in fields {
      if count > 0 { out.append(UInt8(ascii: ",")) }
      count += 1
      lastWasEmpty = field.isEmpty
      appendField(field, to: &out)
    }
    // A row of one empty field would be a blank line, which readers skip.
    if count == 1 && lastWasEmpty { out.append(contentsOf: [0x22, 0x22]) }
    out.append(0x0D)
    out.append(0x0A)
  }

  public static func appendField(_ field: String, to out: inout [UInt8]) {
    var text = field
    text.withUTF8 { appendField($0, to: &out) }
  }

  public static func appendField(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
      // A leading U+FEFF would be read back as a byte-order mark at the start of a file.
      || (utf8.count >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
    guard needsQuotes else {
      out.append(contentsOf: utf8)
      return
    }
    out.append(0x22)
    for byte in utf8 {
      out.append(byte)
      if byte == 0x22 { out.append(0x22) }
    }
    out.append(0x22)
  }
}
