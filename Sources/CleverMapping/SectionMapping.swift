import CleverFormat
import RecordStream
import RosterRecords

/// Sections: the term filter, the teachers Clever takes, the section's own columns.
struct SectionMapping {
  let context: MappingContext
  let enrollments: EnrollmentFilter

  func mapSection(_ section: QSSection, line: Int) throws -> CleverRecord? {
    let school = try context.school(section.schoolId, line: line)
    let type = "qs.section"
    let id = section.id
    let schoolID = school.school.id
    let term = try context.references.term(section.semesterId, school: schoolID, line: line)
    if let keep = try context.references.termsToKeep(school: schoolID, term: context.options.term), !section.semesterId.isEmpty,
      !keep.contains(section.semesterId)
    {
      enrollments.dropped(section: id, .otherTerm)
      context.summary.otherTermSections += 1
      return nil
    }
    let grade = try context.grade(ofClass: section.classId, school: schoolID, line: line)
    let teachers = SectionTeachers(section.teacherIds)
    guard let primary = teachers.kept.first else {
      enrollments.dropped(section: id, .noTeacher)
      context.summary.sectionsWithoutTeacher += 1
      context.warn(.sectionNoTeacher, "section \"\(section.name)\" (id \(id)) has no teacher, which Clever requires: it is left out with its enrollments",
           line: line, type: type, id: id, field: "teacherIds")
      return nil
    }
    if !teachers.duplicates.isEmpty {
      context.warn(.sectionDuplicateTeacher, "section \"\(section.name)\" (id \(id)) lists teacher \(teachers.duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) more than once; exported once",
           line: line, type: type, id: id, field: "teacherIds")
    }
    if !teachers.leftOut.isEmpty {
      context.warn(.sectionTooManyTeachers, "section \"\(section.name)\" (id \(id)) has \(teachers.kept.count + teachers.leftOut.count) teachers; Clever takes 10: left out \(teachers.leftOut.map { "\"\($0)\"" }.joined(separator: ", "))",
           line: line, type: type, id: id, field: "teacherIds")
    }
    var record = CleverRecord(.sections)
    record[.schoolID] = school.cleverID
    record[.sectionID] = id
    record[.teacherID] = primary
    for (column, teacher) in zip(CleverSpec.coTeacherColumns, teachers.kept.dropFirst()) { record[column] = teacher }
    record[.name] = section.name
    record[.sectionNumber] = section.code
    record[.grade] = grade?.rawValue ?? ""
    record[.courseName] = section.courseName
    record[.courseNumber] = section.courseNumber
    record[.period] = section.period
    if let subject = FieldRules.subject(section.subject) {
      record[.subject] = subject
    } else {
      context.warnOnce(.subjectUnknown, value: section.subject, "subject \"\(section.subject)\" is not one of Clever's subjects; Subject left empty (first seen on section \"\(id)\")",
               line: line, type: type, id: id)
    }
    if let term {
      record[.termName] = term.name
      for (column, raw) in [("Term_start", term.startDate), ("Term_end", term.endDate)] {
        if let date = FieldRules.date(raw) {
          record[column] = date
        } else {
          context.warnOnce(.date, value: raw, "term \"\(term.name)\": date \"\(raw)\" is not a date (YYYY-MM-DD or MM/DD/YYYY); \(column) left empty",
                   line: line, type: type, id: id)
        }
      }
    }
    enrollments.exported(section: id, school: school.cleverID)
    context.references.widenSpan(school: school.school.id, with: grade)
    context.summary.sections += 1
    return record
  }
}
