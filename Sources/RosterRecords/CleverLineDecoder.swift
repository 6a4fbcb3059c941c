import CleverFormat
import RecordStream

/// Reads a `clever.*` record straight from its line's bytes, when the line has the shape
/// the stages write: no spaces, `type` first, every value a string without escapes, a
/// student's `contacts` an array of such objects. For any other line it returns nil, and
/// the line goes the general way (JSONParser, then `CleverRecord(object:)`) with that
/// way's result or error; so this never decides what a line means, it only skips building
/// a JSON tree in the common case (issue 15: the tree was a quarter of clever-validate).
/// It must give what the general way gives for every line it accepts: the fuzz tests hold
/// the two together.
public enum CleverLineDecoder {
  private static let recordTypes = NameTable(CleverFile.allCases.map(\.recordType))

  public static func decode(_ line: UnsafeBufferPointer<UInt8>) -> CleverRecord? {
    var cursor = LineCursor(line)
    guard cursor.take(#"{"type":"#), let type = cursor.string(),
      let typeIndex = recordTypes.position(of: type)
    else { return nil }
    let file = CleverFile.allCases[typeIndex]
    let columns = file.columns
    var record = CleverRecord(file)
    var sawContacts = false
    while cursor.take(UInt8(ascii: ",")) {
      guard let key = cursor.string(), cursor.take(UInt8(ascii: ":")) else { return nil }
      if let index = CleverSpec.index(of: key, in: file) {
        guard let value = cursor.string() else { return nil }
        if !columns[index].isContact { record[position: index] = String(decoding: value, as: UTF8.self) }
      } else if key.elementsEqual("contacts".utf8) {
        guard file == .students, !sawContacts, let contacts = cursor.contacts() else { return nil }
        record.contacts = contacts
        sawContacts = true
      } else if key.elementsEqual("type".utf8) {
        return nil  // a second type: the general way takes the last one
      } else {
        guard let value = cursor.string() else { return nil }
        if key.starts(with: "ext.".utf8), file.acceptsExtensions {
          record.setExtension(String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
      }
    }
    guard cursor.take(UInt8(ascii: "}")), cursor.atEnd else { return nil }
    return record
  }
}

/// A position in a line, reading only the shapes CleverLineDecoder accepts.
private struct LineCursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var i = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  var atEnd: Bool { i == bytes.count }

  mutating func take(_ byte: UInt8) -> Bool {
    guard i < bytes.count, bytes[i] == byte else { return false }
    i += 1
    return true
  }

  mutating func take(_ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard i + count <= bytes.count else { return false }
    for k in 0..<count where bytes[i + k] != text.utf8Start[k] { return false }
    i += count
    return true
  }

  /// A quoted string with no escape and no control character: its bytes between the
  /// quotes. The line is valid UTF-8 already (RecordReader checks it first).
  mutating func string() -> UnsafeBufferPointer<UInt8>? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = i
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return UnsafeBufferPointer(rebasing: bytes[start..<(i - 1)])
      }
      if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
      i += 1
    }
    return nil
  }

  /// `[{"Contact_name":"…",…},…]`: keys that are not contact columns are passed over.
  mutating func contacts() -> [CleverContact]? {
    guard take(UInt8(ascii: "[")) else { return nil }
    var contacts: [CleverContact] = []
    if take(UInt8(ascii: "]")) { return contacts }
    repeat {
      guard take(UInt8(ascii: "{")) else { return nil }
      var contact = CleverContact()
      if !take(UInt8(ascii: "}")) {
        repeat {
          guard let key = string(), take(UInt8(ascii: ":")), let value = string() else { return nil }
          if let position = CleverContact.position(ofColumn: key) {
            contact[position: position] = String(decoding: value, as: UTF8.self)
          }
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
      }
      contacts.append(contact)
    } while take(UInt8(ascii: ","))
    guard take(UInt8(ascii: "]")) else { return nil }
    return contacts
  }
}
