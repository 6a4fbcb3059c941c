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
  private let report: (Diagnostic) -> Void

  private enum DropReason {
    case otherTerm, noTeacher, inactive(String)
  }

  private var references = StreamReferences()
  private var exportedSections: [String: String] = [:]  // section ID → Clever School_id
  private var droppedSections: [String: DropReason] = [:]
  private var exportedStudents = Set<String>()
  private var droppedStudents: [String: DropReason] = [:]
  private var warnedValues = Set<String>()

  public private(set) var summary = MappingSummary()

  public init(options: MappingOptions, inputName: String, report: @escaping (Diagnostic) -> Void) {
    self.options = options
    self.inputName = inputName
    self.report = report
  }

  /// Maps one record; `emit` receives the Clever records it yields (none or one).
  public func map(_ record: QSRecord, line: Int, emit: (CleverRecord) throws -> Void) throws {
    switch record {
    case .school(let school): try addSchool(school, line: line)
    case .gradeLevel(let gradeLevel):
      let grade = options.gradeMapper.grade(abbreviation: gradeLevel.abbreviation, className: gradeLevel.name)
      try references.add(gradeLevel, grade: grade, line: line)
    case .semester(let semester): try references.add(semester)
    case .teacher(let teacher): try emit(try mapTeacher(teacher, line: line))
    case .staff(let staff): try emit(try mapStaff(staff, line: line))
    case .student(let student): if let record = try mapStudent(student, line: line) { try emit(record) }
    case .section(let section): if let record = try mapSection(section, line: line) { try emit(record) }
    case .enrollment(let enrollment): if let record = mapEnrollment(enrollment, line: line) { try emit(record) }
    }
  }

  /// Emits the schools, with the span of grades in use.
  public func finish(emit: (CleverRecord) throws -> Void) throws {
    for id in references.schoolOrder {
      let entry = references.schools[id]!
      try emit(mapSchool(entry))
      summary.schools += 1
    }
  }

  // MARK: Reference records

  private func addSchool(_ school: QSSchool, line: Int) throws(RecordError) {
    try references.add(school, cleverID: { () throws(RecordError) -> String in
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

  private func school(_ id: String, line: Int) throws(RecordError) -> StreamReferences.SchoolEntry {
    try references.school(id, line: line)
  }

  /// The grade of a grade level, warning once per level that maps to nothing.
  private func grade(ofClass classId: String, school: String, line: Int) throws(RecordError) -> CleverGrade? {
    if classId.isEmpty { return nil }
    let (level, firstUnmapped) = try references.gradeLevel(classId, school: school, line: line)
    if firstUnmapped {
      let abbreviation = level.gradeLevel.abbreviation
      let key = abbreviation.isEmpty ? level.gradeLevel.name : abbreviation
      report(
        Diagnostic(
          .warning, MappingCode.gradeUnmapped.rawValue,
          "class \"\(level.gradeLevel.name)\" (id \(classId), abbreviation \"\(abbreviation)\") is not a Clever grade: "
            + "its students and sections get Other; to map it, add a line such as '\(key) = 5' to a --grade-map file",
          file: inputName, line: level.line, recordType: "qs.class", id: classId, field: "abbreviation",
          value: abbreviation))
    }
    return level.grade
  }

  // MARK: People

  private func warn(
    _ code: MappingCode, _ message: String, line: Int, type: String, id: String, field: String? = nil,
    value: String? = nil
  ) {
    report(Diagnostic(.warning, code.rawValue, message, file: inputName, line: line, recordType: type, id: id,
                      field: field, value: value))
  }

  /// Warns once per distinct value for rules whose findings repeat across records.
  private func warnOnce(_ code: MappingCode, value: String, _ message: String, line: Int, type: String, id: String) {
    if warnedValues.insert(code.rawValue + "\u{0}" + value).inserted {
      warn(code, message, line: line, type: type, id: id, value: value)
    }
  }

  private func name(first: String, last: String, full: String, line: Int, type: String, id: String) -> PersonName {
    let name = PersonName(first: first, last: last, full: full)
    if name.wasSplit {
      warn(.nameSplit, "\(type) \"\(id)\" has only a full name, \"\(full)\": first name \"\(name.first)\", last name \"\(name.last)\"",
           line: line, type: type, id: id, field: "fullName", value: full)
    }
    return name
  }

  private func cleanEmail(_ value: String, line: Int, type: String, id: String, field: String) -> String {
    if let email = FieldRules.email(value) { return email }
    warn(.email, "\(type) \"\(id)\": email \"\(value)\" is not a valid address; left out", line: line, type: type,
         id: id, field: field, value: value)
    return ""
  }

  private func mapTeacher(_ teacher: QSTeacher, line: Int) throws -> CleverRecord {
    let school = try school(teacher.schoolId, line: line)
    let name = name(first: teacher.firstName, last: teacher.lastName, full: teacher.fullName, line: line,
                    type: "qs.teacher", id: teacher.id)
    var record = CleverRecord(.teachers)
    record["School_id"] = school.cleverID
    record["Teacher_id"] = teacher.id
    record["Teacher_number"] = teacher.teacherNumber
    record["State_teacher_id"] = teacher.stateId
    record["Teacher_email"] = cleanEmail(teacher.email, line: line, type: "qs.teacher", id: teacher.id, field: "email")
    record["First_name"] = name.first
    record["Middle_name"] = teacher.middleName.trimmingASCIISpaces()
    record["Last_name"] = name.last
    record["Title"] = teacher.title
    summary.teachers += 1
    return record
  }

  private func mapStaff(_ staff: QSStaff, line: Int) throws -> CleverRecord {
    let school = try school(staff.schoolId, line: line)
    let name = name(first: staff.firstName, last: staff.lastName, full: staff.fullName, line: line, type: "qs.staff",
                    id: staff.id)
    var record = CleverRecord(.staff)
    record["School_id"] = school.cleverID
    record["Staff_id"] = staff.id
    // Staff_email is required: a bad one stays for the validator to report, since
    // leaving it out would lose the row just the same.
    record["Staff_email"] = staff.email.trimmingASCIISpaces()
    record["First_name"] = name.first
    record["Last_name"] = name.last
    record["Department"] = staff.department
    record["Title"] = staff.title
    summary.staff += 1
    return record
  }

  private func mapStudent(_ student: QSStudent, line: Int) throws -> CleverRecord? {
    let school = try school(student.schoolId, line: line)
    guard student.isActive else {
      let reason = student.hasLeft ? "has left" : student.isExpelled ? "was expelled"
        : student.deleted ? "was deleted" : "has graduated"
      droppedStudents[student.id] = .inactive(reason)
      summary.inactiveStudents += 1
      return nil
    }
    let grade = try grade(ofClass: student.classId, school: school.school.id, line: line)
    let type = "qs.student"
    let id = student.id
    let name = name(first: student.firstName, last: student.lastName, full: student.fullName, line: line, type: type,
                    id: id)
    var record = CleverRecord(.students)
    record["School_id"] = school.cleverID
    record["Student_id"] = id
    record["Student_number"] = student.studentNumber
    record["State_id"] = student.stateId
    record["Last_name"] = name.last
    record["Middle_name"] = student.middleName.trimmingASCIISpaces()
    record["First_name"] = name.first
    record["Grade"] = grade?.rawValue ?? ""
    if let gender = FieldRules.gender(student.gender) {
      record["Gender"] = gender
    } else {
      warnOnce(.gender, value: student.gender, "gender \"\(student.gender)\" is not Male, Female or non-binary; left empty (first seen on student \"\(id)\")",
               line: line, type: type, id: id)
    }
    if let dob = FieldRules.date(student.birthDate) {
      record["DOB"] = dob
    } else {
      warn(.date, "student \"\(id)\": birth date \"\(student.birthDate)\" is not a date (YYYY-MM-DD or MM/DD/YYYY); left empty",
           line: line, type: type, id: id, field: "birthDate", value: student.birthDate)
    }
    record["Student_email"] = cleanEmail(student.email, line: line, type: type, id: id, field: "email")
    record["Student_street"] = student.street
    record["Student_city"] = student.city
    record["Student_state"] = address(FieldRules.state(student.state), student.state, "state", line: line, type: type, id: id)
    record["Student_zip"] = address(FieldRules.zip(student.zip), student.zip, "zip", line: line, type: type, id: id)
    record.contacts = contacts(of: student, line: line)
    exportedStudents.insert(id)
    references.widenSpan(school: school.school.id, with: grade)
    summary.students += 1
    summary.contacts += record.contacts.count
    return record
  }

  private func address(_ clean: String?, _ raw: String, _ field: String, line: Int, type: String, id: String) -> String {
    if let clean { return clean }
    let format = field == "zip" ? "5 or 9 digits" : "a two-letter code"
    warn(.address, "\(type) \"\(id)\": \(field) \"\(raw)\" is not \(format); left out", line: line, type: type, id: id,
         field: field, value: raw)
    return ""
  }

  private func contacts(of student: QSStudent, line: Int) -> [[String: String]] {
    var contacts: [[String: String]] = []
    var seen = Set<String>()
    let type = "qs.student"
    for guardian in student.guardians {
      let fullName = [guardian.firstName, guardian.lastName].map { $0.trimmingASCIISpaces() }.filter { !$0.isEmpty }
        .joined(separator: " ")
      let contactName = fullName.isEmpty ? guardian.fullName.trimmingASCIISpaces() : fullName
      let identity = guardian.id.isEmpty ? "name:" + contactName.lowercased() : "id:" + guardian.id
      let who = guardian.id.isEmpty ? "\"\(contactName)\"" : "\"\(contactName)\" (id \(guardian.id))"
      guard seen.insert(identity).inserted else {
        warn(.duplicateGuardian, "student \"\(student.id)\": guardian \(who) is listed twice; exported once",
             line: line, type: type, id: student.id, field: "guardians", value: guardian.id)
        continue
      }
      guard !contactName.isEmpty else {
        warn(.contactNoName, "student \"\(student.id)\": a guardian (id \(guardian.id)) has no name; contact left out",
             line: line, type: type, id: student.id, field: "guardians", value: guardian.id)
        continue
      }
      let rule = ContactRule.row(relationship: guardian.relationship, emergency: guardian.isEmergencyContact,
                                 pickUp: guardian.isAuthorizedToPickUp)
      let phone = PhoneRule.choose(home: guardian.homePhone, cell: guardian.cellPhone, business: guardian.businessPhone)
      for (kind, raw) in phone.rejected {
        let next = phone.phone.isEmpty ? "no number is exported" : "the \(phone.phoneType) number is used"
        warn(.contactPhone, "student \"\(student.id)\": guardian \(who): \(kind) \"\(raw)\" is not 10 or 11 digits; \(next)",
             line: line, type: type, id: student.id, field: "guardians", value: raw)
      }
      var email = FieldRules.email(guardian.email) ?? ""
      if email.isEmpty && !guardian.email.trimmingASCIISpaces().isEmpty {
        warn(.contactEmail, "student \"\(student.id)\": guardian \(who): email \"\(guardian.email)\" is not valid; left out",
             line: line, type: type, id: student.id, field: "guardians", value: guardian.email)
        email = ""
      }
      var contact: [String: String] = [
        "Contact_relationship": rule.contactRelationship, "Contact_type": rule.contactType, "Contact_name": contactName,
      ]
      if !phone.phone.isEmpty {
        contact["Contact_phone"] = phone.phone
        contact["Contact_phone_type"] = phone.phoneType
      }
      if !email.isEmpty { contact["Contact_email"] = email }
      if !guardian.id.isEmpty { contact["Contact_sis_id"] = guardian.id }
      contacts.append(contact)
    }
    return contacts
  }

  // MARK: Sections and enrollments

  private func mapSection(_ section: QSSection, line: Int) throws -> CleverRecord? {
    let school = try school(section.schoolId, line: line)
    let type = "qs.section"
    let id = section.id
    let schoolID = school.school.id
    let term = try references.term(section.semesterId, school: schoolID, line: line)
    if let keep = try references.termsToKeep(school: schoolID, term: options.term), !section.semesterId.isEmpty,
      !keep.contains(section.semesterId)
    {
      droppedSections[id] = .otherTerm
      summary.otherTermSections += 1
      return nil
    }
    let grade = try grade(ofClass: section.classId, school: schoolID, line: line)
    let teachers = SectionTeachers(section.teacherIds)
    guard let primary = teachers.kept.first else {
      droppedSections[id] = .noTeacher
      summary.sectionsWithoutTeacher += 1
      warn(.sectionNoTeacher, "section \"\(section.name)\" (id \(id)) has no teacher, which Clever requires: it is left out with its enrollments",
           line: line, type: type, id: id, field: "teacherIds")
      return nil
    }
    if !teachers.duplicates.isEmpty {
      warn(.sectionDuplicateTeacher, "section \"\(section.name)\" (id \(id)) lists teacher \(teachers.duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) more than once; exported once",
           line: line, type: type, id: id, field: "teacherIds")
    }
    if !teachers.leftOut.isEmpty {
      warn(.sectionTooManyTeachers, "section \"\(section.name)\" (id \(id)) has \(teachers.kept.count + teachers.leftOut.count) teachers; Clever takes 10: left out \(teachers.leftOut.map { "\"\($0)\"" }.joined(separator: ", "))",
           line: line, type: type, id: id, field: "teacherIds")
    }
    var record = CleverRecord(.sections)
    record["School_id"] = school.cleverID
    record["Section_id"] = id
    record["Teacher_id"] = primary
    for (column, teacher) in zip(CleverSpec.coTeacherColumns, teachers.kept.dropFirst()) { record[column] = teacher }
    record["Name"] = section.name
    record["Section_number"] = section.code
    record["Grade"] = grade?.rawValue ?? ""
    record["Course_name"] = section.courseName
    record["Course_number"] = section.courseNumber
    record["Period"] = section.period
    if let subject = FieldRules.subject(section.subject) {
      record["Subject"] = subject
    } else {
      warnOnce(.subjectUnknown, value: section.subject, "subject \"\(section.subject)\" is not one of Clever's subjects; Subject left empty (first seen on section \"\(id)\")",
               line: line, type: type, id: id)
    }
    if let term {
      record["Term_name"] = term.name
      for (column, raw) in [("Term_start", term.startDate), ("Term_end", term.endDate)] {
        if let date = FieldRules.date(raw) {
          record[column] = date
        } else {
          warnOnce(.date, value: raw, "term \"\(term.name)\": date \"\(raw)\" is not a date (YYYY-MM-DD or MM/DD/YYYY); \(column) left empty",
                   line: line, type: type, id: id)
        }
      }
    }
    exportedSections[id] = school.cleverID
    references.widenSpan(school: school.school.id, with: grade)
    summary.sections += 1
    return record
  }

  private func mapEnrollment(_ enrollment: QSEnrollment, line: Int) -> CleverRecord? {
    let type = "qs.enrollment"
    let id = "\(enrollment.sectionId)/\(enrollment.studentId)"
    let drop = { (why: String) -> CleverRecord? in
      self.summary.enrollmentsLeftOut += 1
      self.warn(.enrollmentDropped, "enrollment of student \"\(enrollment.studentId)\" in section \"\(enrollment.sectionId)\" left out: \(why)",
                line: line, type: type, id: id)
      return nil
    }
    guard let schoolID = exportedSections[enrollment.sectionId] else {
      switch droppedSections[enrollment.sectionId] {
      case .otherTerm?:
        summary.otherTermEnrollments += 1  // expected: the term filter, not a problem
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
    record["School_id"] = schoolID
    record["Section_id"] = enrollment.sectionId
    record["Student_id"] = enrollment.studentId
    summary.enrollments += 1
    return record
  }

  // MARK: Schools

  private func mapSchool(_ entry: StreamReferences.SchoolEntry) -> CleverRecord {
    let (school, cleverID, span, line) = (entry.school, entry.cleverID, entry.span, entry.line)
    let type = "qs.school"
    var record = CleverRecord(.schools)
    record["School_id"] = cleverID
    record["School_name"] = school.name
    // School_number is required: the school's number, else its code, else its ID.
    record["School_number"] = [school.number, school.code, school.id].first { !$0.isEmpty } ?? ""
    record["Low_grade"] = span?.lowerBound.rawValue ?? ""
    record["High_grade"] = span?.upperBound.rawValue ?? ""
    record["Principal"] = school.principalName
    record["Principal_email"] = cleanEmail(school.principalEmail, line: line, type: type, id: school.id, field: "principalEmail")
    record["School_address"] = school.street
    record["School_city"] = school.city
    record["School_state"] = address(FieldRules.state(school.state), school.state, "state", line: line, type: type, id: school.id)
    record["School_zip"] = address(FieldRules.zip(school.zip), school.zip, "zip", line: line, type: type, id: school.id)
    if school.phone.trimmingASCIISpaces().isEmpty {
    } else if let phone = PhoneRule.digits(school.phone) {
      record["School_phone"] = phone
    } else {
      warn(.phone, "school \"\(school.id)\": phone \"\(school.phone)\" is not 10 or 11 digits; left out", line: line,
           type: type, id: school.id, field: "phone", value: school.phone)
    }
    return record
  }
}
