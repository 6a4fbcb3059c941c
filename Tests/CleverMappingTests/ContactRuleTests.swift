import CleverFormat
import Testing

@testable import CleverMapping

/// mapping-rules.md, "Student contacts": the table, written out again from the document
/// (not from `ContactRule.table`), so that a change to the code that breaks the document
/// fails here. Rows whose Emergency column says "yes / no" are written as two rows.
struct ContactDocRow: Sendable, CustomTestStringConvertible {
  /// The doc row's position (1-based) in mapping-rules.md's table.
  let docRow: Int
  /// Spellings the row names; nil for "anything else" (then `otherExamples` are used).
  let relationships: [String]?
  /// nil: "any" (both values are tried).
  let emergency: Bool?
  let pickUp: Bool?
  let contactRelationship: String
  let contactType: String

  var testDescription: String {
    let who = relationships?.joined(separator: ", ") ?? "anything else"
    return "row \(docRow): \(who) emergency=\(emergency.map { $0 ? "yes" : "no" } ?? "any") "
      + "pick-up=\(pickUp.map { $0 ? "yes" : "no" } ?? "any") → \(contactRelationship) / \(contactType)"
  }

  /// Relationships that are in none of the table's named rows.
  static let otherExamples = ["Coach", "Neighbor", "Stepmother", "Other", "", "Nanny", "Cousin"]

  /// Every (relationship, emergency, pick-up) the row covers.
  var inputs: [(relationship: String, emergency: Bool, pickUp: Bool)] {
    var result: [(String, Bool, Bool)] = []
    for who in relationships ?? Self.otherExamples {
      for e in emergency.map({ [$0] }) ?? [false, true] {
        for p in pickUp.map({ [$0] }) ?? [false, true] { result.append((who, e, p)) }
      }
    }
    return result
  }
}

let contactDocTable: [ContactDocRow] = [
  // | Mother, Father, Mother/Father | no | any | Parent | Family | [required]
  .init(docRow: 1, relationships: ["Mother", "Father", "Mother/Father"], emergency: false, pickUp: nil,
        contactRelationship: "Parent", contactType: "Family"),
  // | Mother, Father, Mother/Father | yes | any | Parent | Emergency | [required]
  .init(docRow: 2, relationships: ["Mother", "Father", "Mother/Father"], emergency: true, pickUp: nil,
        contactRelationship: "Parent", contactType: "Emergency"),
  // | Relative | yes | any | Other | Emergency | [required]
  .init(docRow: 3, relationships: ["Relative"], emergency: true, pickUp: nil,
        contactRelationship: "Other", contactType: "Emergency"),
  // | Relative | no | any | Other | Family | [ours]
  .init(docRow: 4, relationships: ["Relative"], emergency: false, pickUp: nil,
        contactRelationship: "Other", contactType: "Family"),
  // | Others | any | yes | Other | Parent/Guardian | [required]
  .init(docRow: 5, relationships: ["Others"], emergency: nil, pickUp: true,
        contactRelationship: "Other", contactType: "Parent/Guardian"),
  // | Others | yes | no | Other | Emergency | [ours]
  .init(docRow: 6, relationships: ["Others"], emergency: true, pickUp: false,
        contactRelationship: "Other", contactType: "Emergency"),
  // | Others | no | no | Other | Other | [ours]
  .init(docRow: 7, relationships: ["Others"], emergency: false, pickUp: false,
        contactRelationship: "Other", contactType: "Other"),
  // | Guardian, Legal Guardian | any | any | Other | Parent/Guardian | [ours]
  .init(docRow: 8, relationships: ["Guardian", "Legal Guardian"], emergency: nil, pickUp: nil,
        contactRelationship: "Other", contactType: "Parent/Guardian"),
  // | Grandmother, Grandfather, Grandparent | yes / no | any | Grandparent | Emergency / Family | [ours]
  .init(docRow: 9, relationships: ["Grandmother", "Grandfather", "Grandparent"], emergency: true, pickUp: nil,
        contactRelationship: "Grandparent", contactType: "Emergency"),
  .init(docRow: 9, relationships: ["Grandmother", "Grandfather", "Grandparent"], emergency: false, pickUp: nil,
        contactRelationship: "Grandparent", contactType: "Family"),
  // | Aunt, Uncle | yes / no | any | Aunt/Uncle | Emergency / Family | [ours]
  .init(docRow: 10, relationships: ["Aunt", "Uncle"], emergency: true, pickUp: nil,
        contactRelationship: "Aunt/Uncle", contactType: "Emergency"),
  .init(docRow: 10, relationships: ["Aunt", "Uncle"], emergency: false, pickUp: nil,
        contactRelationship: "Aunt/Uncle", contactType: "Family"),
  // | Brother, Sister, Sibling | yes / no | any | Sibling | Emergency / Family | [ours]
  .init(docRow: 11, relationships: ["Brother", "Sister", "Sibling"], emergency: true, pickUp: nil,
        contactRelationship: "Sibling", contactType: "Emergency"),
  .init(docRow: 11, relationships: ["Brother", "Sister", "Sibling"], emergency: false, pickUp: nil,
        contactRelationship: "Sibling", contactType: "Family"),
  // | anything else | | yes | Other | Parent/Guardian | [ours]
  .init(docRow: 12, relationships: nil, emergency: nil, pickUp: true,
        contactRelationship: "Other", contactType: "Parent/Guardian"),
  // | anything else | yes | no | Other | Emergency | [ours]
  .init(docRow: 13, relationships: nil, emergency: true, pickUp: false,
        contactRelationship: "Other", contactType: "Emergency"),
  // | anything else | no | no | Other | Other | [ours]
  .init(docRow: 14, relationships: nil, emergency: false, pickUp: false,
        contactRelationship: "Other", contactType: "Other"),
]

/// A row's identity, for telling the rows of `ContactRule.table` apart.
func contactRowKey(_ row: ContactRule.Row) -> String {
  "\(row.relationships.map { $0.sorted() } ?? []) \(String(describing: row.emergency)) \(String(describing: row.pickUp)) "
    + "\(row.contactRelationship) \(row.contactType)"
}

@Suite("ContactRule")
struct ContactRuleTests {
  @Test("mapping-rules.md contact table, every row and every value of its 'any' columns", arguments: contactDocTable)
  func docTableRow(_ row: ContactDocRow) {
    #expect(!row.inputs.isEmpty)
    for (relationship, emergency, pickUp) in row.inputs {
      let got = ContactRule.row(relationship: relationship, emergency: emergency, pickUp: pickUp)
      #expect(
        got.contactRelationship == row.contactRelationship,
        "\"\(relationship)\" emergency=\(emergency) pickUp=\(pickUp)")
      #expect(got.contactType == row.contactType, "\"\(relationship)\" emergency=\(emergency) pickUp=\(pickUp)")
    }
  }

  @Test(
    "case and spaces are ignored",
    arguments: [
      (" mother ", false, false, "Parent", "Family"),
      ("MOTHER", true, true, "Parent", "Emergency"),
      ("MOTHER / FATHER", false, true, "Parent", "Family"),
      (" mother/ father ", true, false, "Parent", "Emergency"),
      ("Mother / Father", true, true, "Parent", "Emergency"),
      ("FATHER\t", false, false, "Parent", "Family"),
      ("Legal Guardian", false, false, "Other", "Parent/Guardian"),
      ("LEGALGUARDIAN", true, false, "Other", "Parent/Guardian"),
      ("legal  guardian", false, true, "Other", "Parent/Guardian"),
      (" guardian ", true, true, "Other", "Parent/Guardian"),
      ("RELATIVE", true, false, "Other", "Emergency"),
      (" relative", false, true, "Other", "Family"),
      ("OTHERS", false, true, "Other", "Parent/Guardian"),
      (" others ", true, false, "Other", "Emergency"),
      ("Others ", false, false, "Other", "Other"),
      ("Grand Mother", true, false, "Grandparent", "Emergency"),
      ("GRANDPARENT", false, true, "Grandparent", "Family"),
      ("aUnT", true, false, "Aunt/Uncle", "Emergency"),
      (" UNCLE ", false, false, "Aunt/Uncle", "Family"),
      ("SISTER", true, true, "Sibling", "Emergency"),
      ("brother ", false, false, "Sibling", "Family"),
      ("  ", false, true, "Other", "Parent/Guardian"),
      ("COACH", true, false, "Other", "Emergency"),
      ("step father", false, false, "Other", "Other"),
    ])
  func variants(relationship: String, emergency: Bool, pickUp: Bool, expectedRelationship: String, expectedType: String) {
    let got = ContactRule.row(relationship: relationship, emergency: emergency, pickUp: pickUp)
    #expect(got.contactRelationship == expectedRelationship)
    #expect(got.contactType == expectedType)
  }

  @Test("squash: lower case, no spaces")
  func squash() {
    #expect(ContactRule.squash(" Mother / Father ") == "mother/father")
    #expect(ContactRule.squash("Legal\tGuardian") == "legalguardian")
    #expect(ContactRule.squash("") == "")
  }

  @Test("every row of ContactRule.table is reached by at least one input")
  func everyRowReached() {
    var reached = Set<String>()
    for docRow in contactDocTable {
      for (relationship, emergency, pickUp) in docRow.inputs {
        reached.insert(contactRowKey(ContactRule.row(relationship: relationship, emergency: emergency, pickUp: pickUp)))
      }
    }
    let all = ContactRule.table.map(contactRowKey)
    #expect(Set(all).count == all.count, "rows of ContactRule.table are not distinct")
    for (index, row) in ContactRule.table.enumerated() {
      #expect(reached.contains(contactRowKey(row)), "ContactRule.table[\(index)] (\(row)) is never used")
    }
  }

  @Test("every relationship the table names and every pair of flags has a row (the table is total)")
  func total() {
    let names = contactDocTable.flatMap { $0.relationships ?? ContactDocRow.otherExamples }
    for name in names {
      for emergency in [false, true] {
        for pickUp in [false, true] {
          // row(...) force-unwraps its match: a gap in the table would crash here.
          let row = ContactRule.row(relationship: name, emergency: emergency, pickUp: pickUp)
          #expect(!row.contactRelationship.isEmpty && !row.contactType.isEmpty)
        }
      }
    }
  }

  @Test("the values written are Clever's")
  func valuesAreClever() {
    for row in ContactRule.table {
      #expect(CleverSpec.contactRelationships.values.contains(row.contactRelationship), "\(row)")
      #expect(CleverSpec.contactTypes.values.contains(row.contactType), "\(row)")
    }
  }
}
