/// Serialises JSON compactly, one record a line: no spaces, keys in their order,
/// non-ASCII text as UTF-8 (not \u escapes), so output is small and diffable.
public enum JSONWriter {
  public static func append(_ value: JSONValue, to out: inout [UInt8]) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let text): out.append(contentsOf: text.utf8)
    case .string(let s): appendString(s, to: &out)
    case .array(let elements):
      out.append(UInt8(ascii: "["))
      for (index, element) in elements.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        append(element, to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      out.append(UInt8(ascii: "{"))
      for (index, member) in object.members.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        appendString(member.key, to: &out)
        out.append(UInt8(ascii: ":"))
        append(member.value, to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  public static func string(_ value: JSONValue) -> String {
    var out: [UInt8] = []
    append(value, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  public static func appendString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var text = s
    let plain = text.withUTF8 { bytes -> Bool in
      // Most values need no escapes: copy them whole.
      guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
      out.append(contentsOf: bytes)
      return true
    }
    if plain {
      out.append(UInt8(ascii: "\""))
      return
    }
    for b in text.utf8 {
      switch b {
      case UInt8(ascii: "\""): out.append(0x5C); out.append(b)
      case UInt8(ascii: "\\"): out.append(0x5C); out.append(b)
      case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
      case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
      case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
      case 0x00..<0x20:
        out.append(contentsOf: "\\u00".utf8)
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
