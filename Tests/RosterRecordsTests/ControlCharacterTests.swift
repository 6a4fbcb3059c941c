import CleverFormat
import RosterRecords
import Testing

/// Which characters a Clever value may not hold, and how clever-csv's refusal names one.
struct ControlCharacterTests {
  @Test func everyC0ControlButTabCRAndLFIsRefused() {
    for byte in UInt8(0)..<0x20 {
      let value = "ab" + String(UnicodeScalar(byte)) + "c"
      let allowed = byte == 0x09 || byte == 0x0A || byte == 0x0D
      #expect((ControlCharacter.first(in: value) == nil) == allowed, "byte \(byte)")
    }
    #expect(ControlCharacter.first(in: "é\u{0}").map { [$0.byte, UInt8($0.offset)] } == [0, 2], "the offset counts bytes")
    #expect(ControlCharacter.first(in: "DEL\u{7F} and U+0085\u{85} are not C0") == nil)
  }

  @Test func theRefusalNamesTheRecordTheContactAndTheColumn() {
    var teacher = CleverRecord(.teachers)
    teacher["Teacher_id"] = "T1"
    teacher["First_name"] = "A\u{0}n"
    #expect(teacher.controlCharacterError()?.field == "First_name")
    #expect(teacher.controlCharacterError()?.message.hasPrefix(
      "teacher \"T1\": First_name holds the control character U+0000 at byte 2;") == true)

    var student = CleverRecord(.students)
    student["Student_id"] = "S1"
    student.contacts = [["Contact_name": "Ana"], ["Contact_name": "Bo\u{1B}"]]
    #expect(student.controlCharacterError()?.message.hasPrefix(
      "student \"S1\": contact 2: Contact_name holds the control character U+001B at byte 3;") == true)

    student.contacts = [["Contact_name": "Ana\tRuiz", "Contact_phone": "555\r\n"]]
    #expect(student.controlCharacterError() == nil, "tab and line breaks are text")
  }
}
