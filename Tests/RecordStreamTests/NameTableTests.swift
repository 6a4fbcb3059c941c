import RecordStream
import Testing

@Suite struct NameTableTests {
  let table = NameTable(["School_id", "Teacher_2_id", "Teacher_3_id", "", "Grade", "School_id", "Contact_name"])

  @Test func findsEachNameAtItsPosition() {
    #expect(table.position(of: "School_id") == 0, "a repeated name keeps its first position")
    #expect(table.position(of: "Teacher_2_id") == 1)
    #expect(table.position(of: "Teacher_3_id") == 2, "names of one length are told apart by their bytes")
    #expect(table.position(of: "") == 3)
    #expect(table.position(of: "Grade") == 4)
    #expect(table.position(of: "Contact_name") == 6)
  }

  @Test func missesWhatIsNotListed() {
    #expect(table.position(of: "school_id") == nil, "spelling is exact")
    #expect(table.position(of: "Teacher_4_id") == nil)
    #expect(table.position(of: "A_name_longer_than_any_in_the_table") == nil)
    #expect(NameTable([]).position(of: "x") == nil)
    #expect(NameTable(["é"]).position(of: "é") == 0, "UTF-8 bytes, not characters")
  }
}
