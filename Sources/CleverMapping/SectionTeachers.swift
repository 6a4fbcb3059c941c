import CleverFormat

/// The teachers of a section (mapping-rules.md, "Co-teachers"): in QuickSchools' order,
/// the first as `Teacher_id` and the next nine as `Teacher_2_id`...`Teacher_10_id`
/// [required]; a teacher linked twice counts once, and past ten the rest are left out [ours].
public struct SectionTeachers: Sendable, Equatable {
  public static let limit = 10

  public var kept: [String] = []
  public var duplicates: [String] = []
  public var leftOut: [String] = []

  public init(_ teacherIds: [String]) {
    var seen = Set<String>()
    for raw in teacherIds {
      let id = raw.trimmingASCIISpaces()
      if id.isEmpty { continue }
      if !seen.insert(id).inserted {
        duplicates.append(id)
      } else if kept.count < Self.limit {
        kept.append(id)
      } else {
        leftOut.append(id)
      }
    }
  }
}
