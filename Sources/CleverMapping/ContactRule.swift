import CleverFormat

/// Contact relationship and type from QuickSchools' Relationship to Student and its two
/// flags (mapping-rules.md, "Student contacts"). The table is read top to bottom; the
/// first row that matches wins.
public enum ContactRule {
  public struct Row: Sendable, CustomStringConvertible {
    /// Relationships this row applies to (squashed: lower case, no spaces); nil for any other.
    public let relationships: Set<String>?
    /// nil: either value.
    public let emergency: Bool?
    public let pickUp: Bool?
    public let contactRelationship: String
    public let contactType: String

    public var description: String {
      let who = relationships.map { $0.sorted().joined(separator: "|") } ?? "anything else"
      return "\(who) emergency=\(emergency.map(String.init) ?? "any") pickup=\(pickUp.map(String.init) ?? "any")"
    }
  }

  static let parents: Set<String> = ["mother", "father", "mother/father"]
  static let relatives: Set<String> = ["relative"]
  static let others: Set<String> = ["others"]
  static let guardians: Set<String> = ["guardian", "legalguardian"]
  static let grandparents: Set<String> = ["grandmother", "grandfather", "grandparent"]
  static let auntsUncles: Set<String> = ["aunt", "uncle"]
  static let siblings: Set<String> = ["brother", "sister", "sibling"]

  public static let table: [Row] = [
    Row(relationships: parents, emergency: false, pickUp: nil, contactRelationship: "Parent", contactType: "Family"),
    Row(relationships: parents, emergency: true, pickUp: nil, contactRelationship: "Parent", contactType: "Emergency"),
    Row(relationships: relatives, emergency: true, pickUp: nil, contactRelationship: "Other", contactType: "Emergency"),
    Row(relationships: relatives, emergency: false, pickUp: nil, contactRelationship: "Other", contactType: "Family"),
    Row(relationships: others, emergency: nil, pickUp: true, contactRelationship: "Other", contactType: "Parent/Guardian"),
    Row(relationships: others, emergency: true, pickUp: false, contactRelationship: "Other", contactType: "Emergency"),
    Row(relationships: others, emergency: false, pickUp: false, contactRelationship: "Other", contactType: "Other"),
    Row(relationships: guardians, emergency: nil, pickUp: nil, contactRelationship: "Other", contactType: "Parent/Guardian"),
    Row(relationships: grandparents, emergency: true, pickUp: nil, contactRelationship: "Grandparent", contactType: "Emergency"),
    Row(relationships: grandparents, emergency: false, pickUp: nil, contactRelationship: "Grandparent", contactType: "Family"),
    Row(relationships: auntsUncles, emergency: true, pickUp: nil, contactRelationship: "Aunt/Uncle", contactType: "Emergency"),
    Row(relationships: auntsUncles, emergency: false, pickUp: nil, contactRelationship: "Aunt/Uncle", contactType: "Family"),
    Row(relationships: siblings, emergency: true, pickUp: nil, contactRelationship: "Sibling", contactType: "Emergency"),
    Row(relationships: siblings, emergency: false, pickUp: nil, contactRelationship: "Sibling", contactType: "Family"),
    Row(relationships: nil, emergency: nil, pickUp: true, contactRelationship: "Other", contactType: "Parent/Guardian"),
    Row(relationships: nil, emergency: true, pickUp: false, contactRelationship: "Other", contactType: "Emergency"),
    Row(relationships: nil, emergency: false, pickUp: false, contactRelationship: "Other", contactType: "Other"),
  ]

  /// Case and spaces are ignored: " Mother / Father " is "mother/father".
  public static func squash(_ relationship: String) -> String {
    String(decoding: relationship.lowercased().utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
  }

  /// Every relationship some row names.
  static let knownRelationships = table.reduce(into: Set<String>()) { $0.formUnion($1.relationships ?? []) }

  public static func row(relationship: String, emergency: Bool, pickUp: Bool) -> Row {
    let key = squash(relationship)
    let known = knownRelationships.contains(key)
    return table.first { row in
      let who = row.relationships.map { $0.contains(key) } ?? !known
      return who && (row.emergency.map { $0 == emergency } ?? true) && (row.pickUp.map { $0 == pickUp } ?? true)
    }!
  }
}
