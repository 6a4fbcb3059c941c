import RecordStream

/// Enrollments read in bulk: each student of `/students` may carry the IDs of its
/// sections of the current term (`smsClassSubjectSetIdList`), one request per page of
/// students instead of one per section. Held by section until the sections are read
/// (records.md puts enrollments after them): about two short strings per enrollment.
///
/// Usable only when every student carried the list: one without it means the API does
/// not give it (or not to this key), and the enrollments are read per section.
struct StudentSections {
  private(set) var bySection: [String: [String]] = [:]
  private(set) var students = 0
  private(set) var studentsWithList = 0

  /// Notes one student's list, if it has one; a list that is not an array of IDs is a
  /// shape error.
  mutating func note(studentId: String, _ object: JSONObject) throws(ShapeProblem) {
    students += 1
    switch object[APIFields.studentSectionIds] {
    case nil, .null?:
      return
    case .array(let ids)?:
      studentsWithList += 1
      for id in ids {
        guard let text = id.text, !text.isEmpty else {
          throw ShapeProblem("student \(studentId): an item of \"\(APIFields.studentSectionIds)\" is not a section ID")
        }
        bySection[text, default: []].append(studentId)
      }
    case let other?:
      throw ShapeProblem("student \(studentId): \"\(APIFields.studentSectionIds)\" is \(other.kindName), not an array")
    }
  }

  /// Every student had its list (and there was at least one student).
  var isComplete: Bool { students > 0 && studentsWithList == students }
}
