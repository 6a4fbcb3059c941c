/// What a mapping run produced and left out, for the closing line on stderr.
public struct MappingSummary: Sendable, Equatable {
  public var schools = 0, students = 0, contacts = 0, teachers = 0, staff = 0, sections = 0, enrollments = 0
  public var inactiveStudents = 0, otherTermSections = 0, otherTermEnrollments = 0, sectionsWithoutTeacher = 0
  public var enrollmentsLeftOut = 0

  public init() {}

  public var description: String {
    var text = [count(schools, "school"), count(students, "student") + " (\(count(contacts, "contact")))",
                count(teachers, "teacher"), "\(staff) staff", count(sections, "section"), count(enrollments, "enrollment")]
      .joined(separator: ", ")
    var leftOut: [String] = []
    if inactiveStudents > 0 { leftOut.append(count(inactiveStudents, "inactive student")) }
    if otherTermSections > 0 {
      leftOut.append(count(otherTermSections, "section") + " of other terms (\(count(otherTermEnrollments, "enrollment")))")
    }
    if sectionsWithoutTeacher > 0 { leftOut.append(count(sectionsWithoutTeacher, "section") + " without a teacher") }
    if enrollmentsLeftOut > 0 { leftOut.append(count(enrollmentsLeftOut, "other enrollment")) }
    if !leftOut.isEmpty { text += "; left out: " + leftOut.joined(separator: ", ") }
    return text
  }

  private func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
