import CleverFormat
import RecordStream
import RosterRecords

/// Teachers, staff and students, with a student's guardians as contacts
/// (mapping-rules.md: names, emails, addresses, contacts, phone precedence).
struct PeopleMapping {
  let context: MappingContext
  let enrollments: EnrollmentFilter

  func mapTeacher(_ teacher: QSTeacher, line: Int) throws -> CleverRecord {
    let school = try context.school(teacher.schoolId, line: line)
    let name = context.name(first: teacher.firstName, last: teacher.lastName, full: teacher.fullName, line: line,
                    type: "qs.teacher", id: teacher.id)
    var record = CleverRecord(.teachers)
    record[.schoolID] = school.cleverID
    record[.teacherID] = teacher.id
    record[.teacherNumber] = teacher.teacherNumber
    record[.stateTeacherID] = teacher.stateId
    record[.teacherEmail] = context.cleanEmail(teacher.email, line: line, type: "qs.teacher", id: teacher.id, field: "email")
    record[.firstName] = name.first
    record[.middleName] = teacher.middleName.trimmingASCIISpaces()
    record[.lastName] = name.last
    record[.title] = teacher.title
    context.summary.teachers += 1
    return record
  }

  func mapStaff(_ staff: QSStaff, line: Int) throws -> CleverRecord {
    let school = try context.school(staff.schoolId, line: line)
    let name = context.name(first: staff.firstName, last: staff.lastName, full: staff.fullName, line: line, type: "qs.staff",
                    id: staff.id)
    var record = CleverRecord(.staff)
    record[.schoolID] = school.cleverID
    record[.staffID] = staff.id
    // Staff_email is required: a bad one stays for the validator to report, since
    // leaving it out would lose the row just the same.
    record[.staffEmail] = staff.email.trimmingASCIISpaces()
    record[.firstName] = name.first
    record[.lastName] = name.last
    record[.department] = staff.department
    record[.title] = staff.title
    context.summary.staff += 1
    return record
  }

  func mapStudent(_ student: QSStudent, line: Int) throws -> CleverRecord? {
    let school = try context.school(student.schoolId, line: line)
    guard student.isActive else {
      let reason = student.hasLeft ? "has left" : student.isExpelled ? "was expelled"
        : student.deleted ? "was deleted" : "has graduated"
      enrollments.dropped(student: student.id, .inactive(reason))
      context.summary.inactiveStudents += 1
      return nil
    }
    let grade = try context.grade(ofClass: student.classId, school: school.school.id, line: line)
    let type = "qs.student"
    let id = student.id
    let name = context.name(first: student.firstName, last: student.lastName, full: student.fullName, line: line, type: type,
                    id: id)
    var record = CleverRecord(.students)
    record[.schoolID] = school.cleverID
    record[.studentID] = id
    record[.studentNumber] = student.studentNumber
    record[.stateID] = student.stateId
    record[.lastName] = name.last
    record[.middleName] = student.middleName.trimmingASCIISpaces()
    record[.firstName] = name.first
    record[.grade] = grade?.rawValue ?? ""
    if let gender = FieldRules.gender(student.gender) {
      record[.gender] = gender
    } else {
      context.warnOnce(.gender, value: student.gender, "gender \"\(student.gender)\" is not Male, Female or non-binary; left empty (first seen on student \"\(id)\")",
               line: line, type: type, id: id)
    }
    if let dob = FieldRules.date(student.birthDate) {
      record[.dob] = dob
    } else {
      context.warn(.date, "student \"\(id)\": birth date \"\(student.birthDate)\" is not a date (YYYY-MM-DD or MM/DD/YYYY); left empty",
           line: line, type: type, id: id, field: "birthDate", value: student.birthDate)
    }
    record[.studentEmail] = context.cleanEmail(student.email, line: line, type: type, id: id, field: "email")
    record[.studentStreet] = student.street
    record[.studentCity] = student.city
    record[.studentState] = context.address(FieldRules.state(student.state), student.state, "state", line: line, type: type, id: id)
    record[.studentZip] = context.address(FieldRules.zip(student.zip), student.zip, "zip", line: line, type: type, id: id)
    record.contacts = contacts(of: student, line: line)
    enrollments.exported(student: id)
    context.references.widenSpan(school: school.school.id, with: grade)
    context.summary.students += 1
    context.summary.contacts += record.contacts.count
    return record
  }

  func contacts(of student: QSStudent, line: Int) -> [CleverContact] {
    var contacts: [CleverContact] = []
    var seen = Set<String>()
    let type = "qs.student"
    for guardian in student.guardians {
      let first = guardian.firstName.trimmingASCIISpaces(), last = guardian.lastName.trimmingASCIISpaces()
      let fullName = first.isEmpty || last.isEmpty ? first + last : first + " " + last
      let contactName = fullName.isEmpty ? guardian.fullName.trimmingASCIISpaces() : fullName
      let identity = guardian.id.isEmpty ? "name:" + contactName.lowercased() : "id:" + guardian.id
      // Words for warnings only: built when one is said, not for every guardian.
      var who: String { guardian.id.isEmpty ? "\"\(contactName)\"" : "\"\(contactName)\" (id \(guardian.id))" }
      guard seen.insert(identity).inserted else {
        context.warn(.duplicateGuardian, "student \"\(student.id)\": guardian \(who) is listed twice; exported once",
             line: line, type: type, id: student.id, field: "guardians", value: guardian.id)
        continue
      }
      guard !contactName.isEmpty else {
        context.warn(.contactNoName, "student \"\(student.id)\": a guardian (id \(guardian.id)) has no name; contact left out",
             line: line, type: type, id: student.id, field: "guardians", value: guardian.id)
        continue
      }
      let rule = ContactRule.row(relationship: guardian.relationship, emergency: guardian.isEmergencyContact,
                                 pickUp: guardian.isAuthorizedToPickUp)
      let phone = PhoneRule.choose(home: guardian.homePhone, cell: guardian.cellPhone, business: guardian.businessPhone)
      for (kind, raw) in phone.rejected {
        let next = phone.phone.isEmpty ? "no number is exported" : "the \(phone.phoneType) number is used"
        context.warn(.contactPhone, "student \"\(student.id)\": guardian \(who): \(kind) \"\(raw)\" is not 10 or 11 digits; \(next)",
             line: line, type: type, id: student.id, field: "guardians", value: raw)
      }
      let email = FieldRules.email(guardian.email) ?? ""
      if email.isEmpty && !guardian.email.trimmingASCIISpaces().isEmpty {
        context.warn(.contactEmail, "student \"\(student.id)\": guardian \(who): email \"\(guardian.email)\" is not valid; left out",
             line: line, type: type, id: student.id, field: "guardians", value: guardian.email)
      }
      var contact = CleverContact()
      contact[.contactRelationship] = rule.contactRelationship
      contact[.contactType] = rule.contactType
      contact[.contactName] = contactName
      contact[.contactPhone] = phone.phone  // both "" when no number was usable
      contact[.contactPhoneType] = phone.phoneType
      contact[.contactEmail] = email
      contact[.contactSisID] = guardian.id
      contacts.append(contact)
    }
    return contacts
  }
}
