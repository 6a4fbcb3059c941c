import CleverFormat
import RecordStream
import RosterRecords

/// Which enrollments are kept: those whose section and student were exported before
/// them. It holds the IDs of the sections and students exported or left out, and why:
/// IDs only, never rows.
final class EnrollmentFilter {
  enum DropReason {
    case otherTerm, noTeacher, inactive(String)
  }

  private let context: MappingContext
  private var exportedSections: [String: String] = [:]  // section ID → Clever School_id
  private var droppedSections: [String: DropReason] = [:]
  private var exportedStudents = Set<String>()
  private var droppedStudents: [String: DropReason] = [:]

  init(context: MappingContext) { self.context = context }

  func exported(section id: String, school: String) { exportedSections[id] = school }
  func dropped(section id: String, _ reason: DropReason) { droppedSections[id] = reason }
  func exported(student id: String) { exportedStudents.insert(id) }
  func dropped(student id: String, _ reason: DropReason) { droppedStudents[id] = reason }

  func map(_ enrollment: QSEnrollment, line: Int) -> CleverRecord? {
    let type = "qs.enrollment"
    let id = "\(enrollment.sectionId)/\(enrollment.studentId)"
    let drop = { (why: String) -> CleverRecord? in
      self.context.summary.enrollmentsLeftOut += 1
      self.context.warn(.enrollmentDropped, "enrollment of student \"\(enrollment.studentId)\" in section \"\(enrollment.sectionId)\" left out: \(why)",
                line: line, type: type, id: id)
      return nil
    }
    guard let schoolID = exportedSections[enrollment.sectionId] else {
      switch droppedSections[enrollment.sectionId] {
      case .otherTerm?:
        context.summary.otherTermEnrollments += 1  // expected: the term filter, not a problem
        return nil
      case .noTeacher?: return drop("its section has no teacher")
      default: return drop("its section is not in the input before it")
      }
    }
    guard exportedStudents.contains(enrollment.studentId) else {
      if case .inactive(let reason)? = droppedStudents[enrollment.studentId] {
        return drop("the student \(reason)")
      }
      return drop("the student is not in the input before it")
    }
    var record = CleverRecord(.enrollments)
    record[.schoolID] = schoolID
    record[.sectionID] = enrollment.sectionId
    record[.studentID] = enrollment.studentId
    context.summary.enrollments += 1
    return record
  }
}
