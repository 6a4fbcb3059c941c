// libFuzzer target for reading a stream line: the UTF-8 check, JSONParser, JSONWriter and
// CleverLineDecoder (the fast path of issue 15).
//
// For every input (one line) it checks that
//   1. firstInvalidUTF8Offset finds no fault exactly when Swift's own UTF-8 validation
//      accepts the bytes (its eight-bytes-at-a-time ASCII path included);
//   2. parsing never crashes or hangs: it returns a value or throws JSONSyntaxError;
//   3. a parsed value, written and parsed again, gives the same bytes when written again;
//   4. a line CleverLineDecoder accepts is a JSON object that CleverRecord(object:) reads,
//      and the two records write the same bytes.
// Any mismatch is a fatalError, which libFuzzer records as a crash. Records are compared
// by the bytes they write, not with String ==, which ignores canonical equivalence.

import RecordStream
import RosterRecords

func check(_ bytes: UnsafeBufferPointer<UInt8>) {
  let valid = String(validating: bytes, as: UTF8.self) != nil
  guard (firstInvalidUTF8Offset(bytes) == nil) == valid else {
    fatalError("firstInvalidUTF8Offset disagrees with Swift's UTF-8 validation")
  }
  guard valid else { return }
  let value: JSONValue
  do {
    value = try JSONParser.parse(bytes)
  } catch {
    if CleverLineDecoder.decode(bytes) != nil { fatalError("CleverLineDecoder accepted a line that does not parse") }
    return
  }
  var written: [UInt8] = []
  JSONWriter.append(value, to: &written)
  let again: JSONValue
  do {
    again = try written.withUnsafeBufferPointer { try JSONParser.parse($0) }
  } catch {
    fatalError("JSONWriter wrote what JSONParser cannot read: \(error)")
  }
  var rewritten: [UInt8] = []
  JSONWriter.append(again, to: &rewritten)
  guard rewritten == written else { fatalError("a value written, read and written again changed") }

  guard let fast = CleverLineDecoder.decode(bytes) else { return }
  guard case .object(let object) = value else { fatalError("CleverLineDecoder accepted a line that is not an object") }
  let general: CleverRecord
  do {
    general = try CleverRecord(object: object)
  } catch {
    fatalError("CleverLineDecoder accepted a line that CleverRecord(object:) rejects: \(error)")
  }
  var a: [UInt8] = []
  var b: [UInt8] = []
  fast.appendJSON(to: &a)
  general.appendJSON(to: &b)
  guard a == b else { fatalError("CleverLineDecoder and CleverRecord(object:) read different records") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  check(UnsafeBufferPointer(start: start, count: count))
  return 0
}
