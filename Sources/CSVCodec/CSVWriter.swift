/// Writes RFC 4180 rows: comma-separated, CRLF-terminated, a field quoted only when it
/// holds a comma, a quote, CR or LF, with inner quotes doubled.
public enum CSVWriter {
  public static func appendRow<S: Sequence>(_ fields: S, to out: inout [UInt8]) where S.Element == String {
    var first = true
    for field in fields {
      if !first { out.append(UInt8(ascii: ",")) }
      first = false
      appendField(field, to: &out)
    }
    out.append(0x0D)
    out.append(0x0A)
  }

  public static func appendField(_ field: String, to out: inout [UInt8]) {
    let utf8 = field.utf8
    let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
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
