import CleverFormat
import RosterRecords
import RecordStream

/// Maps a stream of `qs.*` records to Clever records, one at a time; the reference
/// records it has seen are kept by StreamReferences.
///
/// It holds the reference records (schools, grade levels, terms) and, to decide which
/// enrollments to keep, the IDs of the sections and students it exported or left out:
/// IDs only, never rows. Schools are emitted by `finish()`, because their Low_grade and
/// High_grade come from the grades of everything exported.
///
/// References are per school (roster-records(5)): a stream may concatenate several
/// schools' extracts, so a school's grade levels and terms are looked up by that school,
/// and its term is chosen at its own first section.
public final class RosterMapper {
  public let options: MappingOptions
  public let inputName: String
  private let context: MappingContext
  private let enrollments: EnrollmentFilter
  private let people: PeopleMapping
  private let sections: SectionMapping
  private let schools: SchoolMapping

  public var summary: MappingSummary { context.summary }

  public init(options: MappingOptions, inputName: String, report: @escaping (Diagnostic) -> Void) {
    self.options = options
    self.inputName = inputName
    context = MappingContext(options: options, inputName: inputName, report: report)
    enrollments = EnrollmentFilter(context: context)
    people = PeopleMapping(context: context, enrollments: enrollments)
    sections = SectionMapping(context: context, enrollments: enrollments)
    schools = SchoolMapping(context: context)
  }

  /// Maps one record; `emit` receives the Clever records it yields (none or one).
  public func map(_ record: QSRecord, line: Int, emit: (CleverRecord) throws -> Void) throws {
    switch record {
    case .school(let school): try addSchool(school, line: line)
    case .gradeLevel(let gradeLevel):
      let grade = options.gradeMapper.grade(abbreviation: gradeLevel.abbreviation, className: gradeLevel.name)
      try context.references.add(gradeLevel, grade: grade, line: line)
    case .semester(let semester): try context.references.add(semester)
    case .teacher(let teacher): try emit(try people.mapTeacher(teacher, line: line))
    case .staff(let staff): try emit(try people.mapStaff(staff, line: line))
    case .student(let student): if let record = try people.mapStudent(student, line: line) { try emit(record) }
    case .section(let section): if let record = try sections.mapSection(section, line: line) { try emit(record) }
    case .enrollment(let enrollment): if let record = enrollments.map(enrollment, line: line) { try emit(record) }
    }
  }

  /// Emits the schools, with the span of grades in use.
  public func finish(emit: (CleverRecord) throws -> Void) throws {
    for id in context.references.schoolOrder {
      try emit(schools.map(context.references.schools[id]!))
      context.summary.schools += 1
    }
  }

  private func addSchool(_ school: QSSchool, line: Int) throws(RecordError) {
    try context.references.add(school, cleverID: { () throws(RecordError) -> String in
      guard options.schoolIDSource == .code else { return school.id }
      let code = school.code.trimmingASCIISpaces()
      if code.isEmpty {
        throw RecordError(
          MappingCode.noSchoolCode.rawValue, "school \"\(school.id)\" has no code, and --school-id code was given",
          field: "code")
      }
      return code
    }, line: line)
  }
}
