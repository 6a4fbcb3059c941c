import RecordStream

/// A C0 control character that a Clever value may not hold: every one but tab, CR and
/// LF. Clever's files are text; a NUL or an escape character in a value is a broken
/// export upstream, and tools that read the CSV may cut the value at it or refuse the
/// file. Tab, CR and LF stay allowed: a multi-line value (an address) is written quoted,
/// as RFC 4180 allows and clever-csv has always written it.
public struct ControlCharacter: Sendable, Equatable {
  public let byte: UInt8
  /// 0-based, in the value's UTF-8 bytes.
  public let offset: Int

  /// The first such character in `value`, or nil. A byte scan: it runs for every value
  /// the validator checks and every value clever-csv writes.
  public static func first(in value: String) -> ControlCharacter? {
    var offset = 0
    for byte in value.utf8 {
      if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return ControlCharacter(byte: byte, offset: offset) }
      offset += 1
    }
    return nil
  }

  /// What is wrong with `column`'s value and what to do; one wording for the validator
  /// and clever-csv.
  public func problem(in column: String) -> String {
    "\(column) holds the control character \(CodePoint.name(UInt32(byte))) at byte \(offset + 1); a Clever value "
      + "may hold no control character but tab and line breaks: remove it where the value comes from"
  }
}
