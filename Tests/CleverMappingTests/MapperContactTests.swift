import CleverFormat
import RosterRecords
import RecordStream
import Testing
@testable import CleverMapping

// MARK: Contacts (mapping-rules.md, "Student contacts")

@Suite("RosterMapper: contacts")
struct ContactTests {
  static func run(_ guardians: [QSGuardian]) -> MapperRun {
    MapperRun([qsSchool(), qsStudent("A", guardians: guardians)])
  }

  @Test("every guardian is a contact, in order, with Contact_sis_id the guardian's ID [required + ours]")
  func contactsInOrder() {
    let run = Self.run([
      guardian("G1", first: "Mia", last: "Lee", relationship: "Mother", emergency: true, home: "(555) 111-0000",
               email: "mia@home.org"),
      guardian("G2", first: "Max", last: "Lee", relationship: "Father", cell: "555 222 0000"),
      guardian("G3", first: "Ida", last: "Lee", relationship: "Grandmother", business: "+1 555 333 0000"),
      guardian("G4", first: "Ned", last: "Near", relationship: "Neighbor", pickUp: true),
    ])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.map { $0.value("Contact_sis_id") } == ["G1", "G2", "G3", "G4"])
    #expect(contacts.map { $0.value("Contact_name") } == ["Mia Lee", "Max Lee", "Ida Lee", "Ned Near"])
    #expect(contacts.map { $0.value("Contact_relationship") } == ["Parent", "Parent", "Grandparent", "Other"])
    #expect(contacts.map { $0.value("Contact_type") } == ["Emergency", "Family", "Family", "Parent/Guardian"])
    #expect(contacts.map { $0.value("Contact_phone") } == ["5551110000", "5552220000", "15553330000", nil])
    #expect(contacts.map { $0.value("Contact_phone_type") } == ["Home", "Cell", "Work", nil])
    #expect(contacts.map { $0.value("Contact_email") } == ["mia@home.org", nil, nil, nil])
    #expect(run.diagnostics.isEmpty)
    #expect(run.summary.contacts == 4)
  }

  @Test("a student with no guardians has no contacts")
  func noGuardians() {
    let run = Self.run([])
    let student = run.student("A")
    #expect(student?.contacts == [])
    #expect(student?.jsonLine.hasSuffix(#","contacts":[]}"#) == true)
  }

  @Test("a guardian listed twice is exported once, with W_DUPLICATE_GUARDIAN")
  func duplicateGuardian() {
    let run = Self.run([
      guardian("G1", first: "Mia"), guardian("G2", first: "Max"), guardian("G1", first: "Mia"),
    ])
    #expect(run.student("A")?.contacts.map { $0.value("Contact_sis_id") } == ["G1", "G2"])
    let warnings = run.diagnostics(.duplicateGuardian)
    #expect(warnings.count == 1)
    #expect(warnings.first?.id == "A")
    #expect(warnings.first?.value == "G1")
  }

  @Test("guardians without an ID are told apart by name")
  func duplicateByName() {
    let run = Self.run([guardian("", first: "Mia", last: "Lee"), guardian("", first: "mia", last: "lee"),
                        guardian("", first: "Max", last: "Lee")])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.map { $0.value("Contact_name") } == ["Mia Lee", "Max Lee"])
    #expect(contacts.allSatisfy { $0.value("Contact_sis_id") == nil })
    #expect(run.diagnostics(.duplicateGuardian).count == 1)
  }

  @Test("the same guardian on two students is a contact of each")
  func sharedGuardian() {
    let g = guardian("G1")
    let run = MapperRun([qsSchool(), qsStudent("A", guardians: [g]), qsStudent("B", guardians: [g])])
    #expect(run.student("A")?.contacts.count == 1)
    #expect(run.student("B")?.contacts.count == 1)
    #expect(run.diagnostics.isEmpty)
  }

  @Test("an invalid email is left out with W_CONTACT_EMAIL; the contact stays")
  func invalidEmail() {
    let run = Self.run([guardian("G1", home: "5551110000", email: "mia@home"), guardian("G2", email: " max@home.org ")])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.count == 2)
    #expect(contacts[0].value("Contact_email") == nil)
    #expect(contacts[0].value("Contact_phone") == "5551110000")
    #expect(contacts[1].value("Contact_email") == "max@home.org")
    let warnings = run.diagnostics(.contactEmail)
    #expect(warnings.count == 1)
    #expect(warnings.first?.value == "mia@home")
    #expect(warnings.first?.message.contains("G1") == true)
  }

  @Test("a phone that is not 10 or 11 digits: the next is used, W_CONTACT_PHONE names the contact")
  func invalidPhone() {
    let run = Self.run([
      guardian("G1", first: "Mia", last: "Lee", home: "555-1234", cell: "5552220000"),
      guardian("G2", first: "Max", last: "Lee", home: "12", cell: "34", business: "56"),
    ])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts[0].value("Contact_phone") == "5552220000")
    #expect(contacts[0].value("Contact_phone_type") == "Cell")
    #expect(contacts[1].value("Contact_phone") == nil)
    #expect(contacts[1].value("Contact_phone_type") == nil)
    let warnings = run.diagnostics(.contactPhone)
    #expect(warnings.map(\.value) == ["555-1234", "12", "34", "56"])
    #expect(warnings.first?.message.contains("Mia Lee") == true)
  }

  @Test("a guardian known by a full name only; one with no name is left out with W_CONTACT_NO_NAME")
  func names() {
    let run = Self.run([
      guardian("G1", first: "", last: "", relationship: "Aunt", emergency: true) ,
      { var g = guardian("G2", first: "", last: ""); g.fullName = " Ida Lee "; return g }(),
      guardian("G3", first: "Cher", last: ""),
    ])
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.map { $0.value("Contact_sis_id") } == ["G2", "G3"])
    #expect(contacts.map { $0.value("Contact_name") } == ["Ida Lee", "Cher"])
    #expect(run.diagnostics(.contactNoName).map(\.value) == ["G1"])
  }

  @Test("the contact table reaches the records", arguments: contactDocTable)
  func contactTableInRecords(row: ContactDocRow) {
    let guardians = row.inputs.enumerated().map { index, input in
      guardian("G\(index)", first: "P\(index)", relationship: input.relationship, emergency: input.emergency,
               pickUp: input.pickUp)
    }
    let run = Self.run(guardians)
    let contacts = run.student("A")?.contacts ?? []
    #expect(contacts.count == guardians.count)
    for contact in contacts {
      #expect(contact[.contactRelationship] == row.contactRelationship)
      #expect(contact[.contactType] == row.contactType)
    }
  }
}

extension CleverContact {
  /// The value of a contact column, nil when empty (as the mapping leaves it).
  fileprivate func value(_ column: String) -> String? {
    let text = self[ColumnName(column)]
    return text.isEmpty ? nil : text
  }
}
