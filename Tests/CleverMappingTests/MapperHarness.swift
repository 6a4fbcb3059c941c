import CleverFormat
import RosterRecords
import RecordStream
import Testing

@testable import CleverMapping

/// Runs a `RosterMapper` over in-memory records, as clever-map does with --keep-going:
/// a record that throws `RecordError` is noted and skipped; a `StageFailure` ends the run.
final class MapperRun {
  var records: [CleverRecord] = []
  var diagnostics: [Diagnostic] = []
  /// (line, error) of each record that could not be mapped.
  var recordErrors: [(line: Int, error: RecordError)] = []
  var failure: StageFailure?
  var summary = MappingSummary()

  init(_ input: [QSRecord], options: MappingOptions = MappingOptions(), finish: Bool = true) {
    let mapper = RosterMapper(options: options, inputName: "in.ndjson") {
      self.diagnostics.append($0)
    }
    defer { summary = mapper.summary }
    for (index, record) in input.enumerated() {
      do {
        try mapper.map(record, line: index + 1) { self.records.append($0) }
      } catch let error as RecordError {
        recordErrors.append((index + 1, error))
      } catch let error as StageFailure {
        failure = error
        return
      } catch {
        Issue.record("unexpected error \(error)")
        return
      }
    }
    if finish {
      do { try mapper.finish { self.records.append($0) } } catch { Issue.record("finish threw \(error)") }
    }
  }

  func of(_ file: CleverFile) -> [CleverRecord] { records.filter { $0.file == file } }
  var schools: [CleverRecord] { of(.schools) }
  var students: [CleverRecord] { of(.students) }
  var teachers: [CleverRecord] { of(.teachers) }
  var staff: [CleverRecord] { of(.staff) }
  var sections: [CleverRecord] { of(.sections) }
  var enrollments: [CleverRecord] { of(.enrollments) }

  func student(_ id: String) -> CleverRecord? { students.first { $0[.studentID] == id } }
  func section(_ id: String) -> CleverRecord? { sections.first { $0[.sectionID] == id } }
  func school(_ id: String) -> CleverRecord? { schools.first { $0[.schoolID] == id } }

  func diagnostics(_ code: MappingCode) -> [Diagnostic] { diagnostics.filter { $0.code == code.rawValue } }
  var codes: [String] { diagnostics.map(\.code) }
  /// Every code the run produced: diagnostics, record errors and the stage failure.
  var allCodes: Set<String> {
    Set(codes + recordErrors.map { $0.error.code } + (failure.map { [$0.code] } ?? []))
  }
}

// MARK: Record builders (every field not given is "", as a missing key decodes)

func qsSchool(_ id: String = "S1", code: String = "", name: String = "School", number: String = "") -> QSRecord {
  var s = QSSchool()
  s.id = id
  s.code = code
  s.name = name
  s.number = number
  return .school(s)
}

func qsClass(_ id: String, abbreviation: String, name: String = "", school: String = "S1") -> QSRecord {
  var c = QSClass()
  c.id = id
  c.schoolId = school
  c.name = name.isEmpty ? "Class \(id)" : name
  c.abbreviation = abbreviation
  return .gradeLevel(c)
}

func qsTerm(_ id: String, name: String = "", active: Bool = false, start: String = "2024-08-15",
            end: String = "2024-12-20", school: String = "S1") -> QSRecord {
  var t = QSSemester()
  t.id = id
  t.schoolId = school
  t.name = name.isEmpty ? "Term \(id)" : name
  t.active = active
  t.startDate = start
  t.endDate = end
  return .semester(t)
}

func qsTeacher(_ id: String, school: String = "S1", first: String = "Tom", last: String = "Teach") -> QSRecord {
  var t = QSTeacher()
  t.id = id
  t.schoolId = school
  t.firstName = first
  t.lastName = last
  t.email = "\(id.lowercased())@school.org"
  return .teacher(t)
}

func guardian(
  _ id: String, first: String = "Pat", last: String = "Parent", relationship: String = "Mother",
  emergency: Bool = false, pickUp: Bool = false, home: String = "", cell: String = "", business: String = "",
  email: String = ""
) -> QSGuardian {
  var g = QSGuardian()
  g.id = id
  g.firstName = first
  g.lastName = last
  g.relationship = relationship
  g.isEmergencyContact = emergency
  g.isAuthorizedToPickUp = pickUp
  g.homePhone = home
  g.cellPhone = cell
  g.businessPhone = business
  g.email = email
  return g
}

func makeStudent(
  _ id: String, school: String = "S1", classId: String = "", guardians: [QSGuardian] = [],
  configure: (inout QSStudent) -> Void = { _ in }
) -> QSStudent {
  var s = QSStudent()
  s.id = id
  s.schoolId = school
  s.classId = classId
  s.firstName = "Stu"
  s.lastName = "Dent \(id)"
  s.guardians = guardians
  configure(&s)
  return s
}

func qsStudent(
  _ id: String, school: String = "S1", classId: String = "", guardians: [QSGuardian] = [],
  configure: (inout QSStudent) -> Void = { _ in }
) -> QSRecord {
  .student(makeStudent(id, school: school, classId: classId, guardians: guardians, configure: configure))
}

func qsSection(
  _ id: String, school: String = "S1", classId: String = "", term: String = "", teachers: [String] = ["T1"],
  configure: (inout QSSection) -> Void = { _ in }
) -> QSRecord {
  var s = QSSection()
  s.id = id
  s.schoolId = school
  s.name = "Section \(id)"
  s.code = "code-\(id)"
  s.classId = classId
  s.semesterId = term
  s.teacherIds = teachers
  configure(&s)
  return .section(s)
}

func qsEnrollment(section: String, student: String, school: String = "S1") -> QSRecord {
  var e = QSEnrollment()
  e.schoolId = school
  e.sectionId = section
  e.studentId = student
  return .enrollment(e)
}
