/// The offset of the first byte that is not part of well-formed UTF-8, or nil.
/// Checked once per line so that the JSON parser can build strings without re-checking,
/// and so that the error can name the exact byte.
public func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
  var i = 0
  let n = bytes.count
  guard let base = bytes.baseAddress else { return nil }
  while i < n {
    // Eight ASCII bytes at a time: most roster text is ASCII.
    while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
      i += 8
    }
    guard i < n else { break }
    let b0 = bytes[i]
    if b0 < 0x80 {
      i += 1
      continue
    }
    let length: Int
    var lower: UInt8 = 0x80
    var upper: UInt8 = 0xBF
    switch b0 {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; lower = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; upper = 0x9F  // no UTF-16 surrogates
    case 0xF0: length = 4; lower = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; upper = 0x8F
    default: return i
    }
    if i + length > n { return i }
    let b1 = bytes[i + 1]
    if b1 < lower || b1 > upper { return i }
    var k = 2
    while k < length {
      if bytes[i + k] & 0xC0 != 0x80 { return i }
      k += 1
    }
    i += length
  }
  return nil
}

/// What every reader (NDJSON lines, CSV files) says about text that is not UTF-8, and
/// what to do: `subject` is what is not UTF-8 (`"the input"`, `"the file"`). Text from
/// Windows tools and Excel's plain "CSV" is most often Windows-1252.
public func notUTF8Advice(_ subject: String) -> String {
  "\(subject) is not UTF-8 (most likely Windows-1252); convert it with iconv -f WINDOWS-1252 -t UTF-8"
}
