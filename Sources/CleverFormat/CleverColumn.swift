/// One column of a Clever file: its exact header spelling, whether a row needs it, and
/// what its values look like.
public struct CleverColumn: Sendable, Equatable {
  public enum Requirement: Sendable, Equatable {
    case required
    case optional
    /// Required when any contact column of the row has a value (students.csv).
    case requiredWithContact
    /// Required by Clever's format document, but Clever processes files without it, as
    /// its own demo district's show (`School_number`): its absence is a warning.
    case documented
  }

  public let name: String
  public let requirement: Requirement
  public let format: ValueFormat
  /// The file whose id column this column must name, if any.
  public let references: CleverFile?
  /// A `Contact_*` column: one per contact row, held in a student record's `contacts`.
  /// Stored, not computed: every record's every column asks.
  public let isContact: Bool

  public init(_ name: ColumnName, _ requirement: Requirement, _ format: ValueFormat = .text,
              references: CleverFile? = nil) {
    self.name = name.text
    self.isContact = name.text.hasPrefix("Contact_")
    self.requirement = requirement
    self.format = format
    self.references = references
  }
}
