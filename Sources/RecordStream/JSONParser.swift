/// Why a line is not JSON, and the 0-based byte where that was found.
public struct JSONSyntaxError: Error, Equatable, Sendable {
  public let offset: Int
  public let reason: String

  public init(offset: Int, reason: String) {
    self.offset = offset
    self.reason = reason
  }
}

/// A strict RFC 8259 parser over one line's bytes.
///
/// Written by hand, not Foundation's JSONSerialization: the stages need object keys in
/// order (pass-through records keep their shape), numbers kept as written, the byte of
/// each error for `file:line` diagnostics, and speed at district scale (one call per
/// line, no bridging). The input must already be valid UTF-8 (see firstInvalidUTF8Offset).
public struct JSONParser: ~Copyable {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var i = 0
  private var depth = 0
  private static let maxDepth = 256

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONParser(bytes)
    parser.skipSpace()
    let value = try parser.value()
    parser.skipSpace()
    if parser.i != bytes.count { throw parser.fail("unexpected text after the JSON value") }
    return value
  }

  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    var copy = text
    let result: Result<JSONValue, JSONSyntaxError> = copy.withUTF8 { buffer in
      do throws(JSONSyntaxError) { return .success(try parse(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  private func fail(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
    JSONSyntaxError(offset: offset ?? i, reason: reason)
  }

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  private mutating func value() throws(JSONSyntaxError) -> JSONValue {
    guard i < bytes.count else { throw fail("unexpected end of line, expected a value") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return .object(try object())
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw fail("unexpected character '\(QuotedInput.byte(bytes[i]))', expected a value")
    }
  }

  private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let start = i
    let count = word.utf8CodeUnitCount
    guard i + count <= bytes.count else { throw fail("invalid literal", at: start) }
    for k in 0..<count where bytes[i + k] != word.utf8Start[k] {
      throw fail("invalid literal, expected '\(word)'", at: start)
    }
    i += count
  }

  private mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
  }

  private mutating func object() throws(JSONSyntaxError) -> JSONObject {
    try enter()
    i += 1
    var members: [(key: String, value: JSONValue)] = []
    members.reserveCapacity(16)  // a record's keys without regrowing the array three times
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      depth -= 1
      return JSONObject(members)
    }
    while true {
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
        throw fail(i < bytes.count ? "expected a quoted key" : "unexpected end of line inside an object")
      }
      let key = try string()
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
      i += 1
      skipSpace()
      members.append((key, try value()))
      skipSpace()
      guard i < bytes.count else { throw fail("unexpected end of line inside an object") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
      } else if bytes[i] == UInt8(ascii: "}") {
        i += 1
        depth -= 1
        return JSONObject(members)
      } else {
        throw fail("expected ',' or '}' in an object")
      }
    }
  }

  private mutating func array() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    i += 1
    var elements: [JSONValue] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
      i += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      skipSpace()
      elements.append(try value())
      skipSpace()
      guard i < bytes.count else { throw fail("unexpected end of line inside an array") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
      } else if bytes[i] == UInt8(ascii: "]") {
        i += 1
        depth -= 1
        return .array(elements)
      } else {
        throw fail("expected ',' or ']' in an array")
      }
    }
  }

  private mutating func number() throws(JSONSyntaxError) -> JSONValue {
    let start = i
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard i < bytes.count, isDigit(bytes[i]) else { throw fail("invalid number", at: start) }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard i < bytes.count, isDigit(bytes[i]) else { throw fail("invalid number: digit expected after '.'") }
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard i < bytes.count, isDigit(bytes[i]) else { throw fail("invalid number: digit expected in exponent") }
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
  }

  private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  private mutating func string() throws(JSONSyntaxError) -> String {
    let open = i
    i += 1
    let start = i
    // Fast path: no escapes, one slice.
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        i += 1
        return s
      }
      if b == UInt8(ascii: "\\") { break }
      if b < 0x20 { throw fail("control character in a string (escape it as \\u00\(String(b, radix: 16)))") }
      i += 1
    }
    guard i < bytes.count else { throw fail("unterminated string", at: open) }
    var scratch = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return String(decoding: scratch, as: UTF8.self)
      }
      if b < 0x20 { throw fail("control character in a string (escape it as \\u00\(String(b, radix: 16)))") }
      if b != UInt8(ascii: "\\") {
        scratch.append(b)
        i += 1
        continue
      }
      let escapeStart = i
      i += 1
      guard i < bytes.count else { break }
      switch bytes[i] {
      case UInt8(ascii: "\""): scratch.append(0x22)
      case UInt8(ascii: "\\"): scratch.append(0x5C)
      case UInt8(ascii: "/"): scratch.append(0x2F)
      case UInt8(ascii: "b"): scratch.append(0x08)
      case UInt8(ascii: "f"): scratch.append(0x0C)
      case UInt8(ascii: "n"): scratch.append(0x0A)
      case UInt8(ascii: "r"): scratch.append(0x0D)
      case UInt8(ascii: "t"): scratch.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
          guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
            throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
          }
          i += 2
          let low = try hex4()
          guard (0xDC00...0xDFFF).contains(low) else {
            throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
          }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
          throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape", at: escapeStart) }
        UTF8.encode(unicode) { scratch.append($0) }
      default:
        throw fail("invalid escape '\\\(QuotedInput.byte(bytes[i]))' in a string", at: escapeStart)
      }
      i += 1
    }
    throw fail("unterminated string", at: open)
  }

  /// Reads the four hex digits after `\u`, leaving `i` on the last one.
  private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard i + 4 < bytes.count else { throw fail("incomplete \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      i += 1
      let b = bytes[i]
      let digit: UInt8
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
      default: throw fail("invalid hex digit in \\u escape")
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }
}

