import CleverFormat

/// What the user chose for a mapping run.
public struct MappingOptions: Sendable {
  /// Where `School_id` comes from (mapping-rules.md, "School ID").
  public enum SchoolIDSource: String, Sendable, CaseIterable {
    /// The school's actual QuickSchools ID [required].
    case id
    /// The school code (sub-domain), as the old Summary Report export used [ours].
    case code
  }

  public var gradeMapper = GradeMapper()
  public var schoolIDSource = SchoolIDSource.id
  /// A term's ID or name; nil chooses each school's active term.
  public var term: String?

  public init(gradeMapper: GradeMapper = GradeMapper(), schoolIDSource: SchoolIDSource = .id, term: String? = nil) {
    self.gradeMapper = gradeMapper
    self.schoolIDSource = schoolIDSource
    self.term = term
  }
}
