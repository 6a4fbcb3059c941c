import CleverFiles
import CleverFormat
import Foundation
import Testing
import RosterRecords

struct CleverSetReaderTests {
  private func readAll(_ directory: String) throws -> [CleverRecord] {
    var records: [CleverRecord] = []
    try CleverSetReader(directory: directory).forEachRecord { records.append($0) }
    return records
  }

  @Test func readsBackWhatWasWrittenGroupingContacts() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    let writer = try CleverFileSetWriter(directory: out)
    let records = CleverFileSetWriterTests.sampleRecords()
    for record in records { try writer.append(record) }
    _ = try writer.commit()
    let back = try readAll(out)
    let order = CleverSetReader.readingOrder
    let expected = order.flatMap { file in records.filter { $0.file == file } }
    #expect(back == expected)
    #expect(back.first { $0[.studentID] == "7001" }?.contacts.count == 2)
  }

  @Test func readsOtherToolsFilesBOMLFAnyCaseAnyOrder() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let d = scratch.path
    let bom = "\u{FEFF}"
    try (bom + "school_NAME,SCHOOL_ID,school_number\nLincoln,1,42\n").write(toFile: d + "/schools.csv", atomically: false, encoding: .utf8)
    try ("student_id,school_id,first_name,last_name,contact_name,contact_type,ext.Bus\n"
      + "7,1,Ana,Ruiz,Mom,Family,12\n7,1,Ana,Ruiz,Dad,Family,12\n8,1,Bo,\"Ng\nII\",,,\n")
      .write(toFile: d + "/students.csv", atomically: false, encoding: .utf8)
    for (name, header) in [("teachers", "School_id,Teacher_id,First_name,Last_name"),
                           ("sections", "School_id,Section_id,Teacher_id"),
                           ("enrollments", "School_id,Section_id,Student_id")] {
      try (header + "\r\n").write(toFile: d + "/\(name).csv", atomically: false, encoding: .utf8)
    }
    let records = try readAll(d)
    #expect(records.count == 3)
    #expect(records[2]["School_name"] == "Lincoln" && records[2]["School_id"] == "1")
    #expect(records[0].contacts == [["Contact_name": "Mom", "Contact_type": "Family"],
                                    ["Contact_name": "Dad", "Contact_type": "Family"]])
    #expect(records[0].extensions.first?.name == "ext.Bus")
    #expect(records[1]["Last_name"] == "Ng\nII" && records[1].contacts.isEmpty)
  }

  @Test func aMissingRequiredFileIsAnError() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    try "School_id,School_name,School_number\r\n".write(toFile: scratch.path + "/schools.csv", atomically: false, encoding: .utf8)
    #expect(throws: (any Error).self) { _ = try readAll(scratch.path) }
  }
}
