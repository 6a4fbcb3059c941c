import RecordStream

// The `qs.*` records of records.md, typed. Keys follow QuickSchools' camelCase names.
// Decoding is strict about kinds (a number where a string belongs is an error) and
// lenient about absence (a missing key is ""), except for the keys a record cannot do
// without, which are named in the error.

public struct QSSchool: Sendable, Equatable {
  public var id = "", code = "", name = "", number = "", street = "", city = "", state = "", zip = ""
  public var phone = "", principalName = "", principalEmail = ""
  public init() {}
}

/// A QuickSchools "class" is a grade level ("5th Grade", abbreviation "5").
public struct QSClass: Sendable, Equatable {
  public var id = "", schoolId = "", name = "", abbreviation = ""
  public init() {}
}

public struct QSSemester: Sendable, Equatable {
  public var id = "", schoolId = "", name = "", startDate = "", endDate = ""
  public var active = false
  public init() {}
}

public struct QSTeacher: Sendable, Equatable {
  public var id = "", schoolId = "", firstName = "", middleName = "", lastName = "", fullName = ""
  public var email = "", teacherNumber = "", stateId = "", title = ""
  public init() {}
}

public struct QSStaff: Sendable, Equatable {
  public var id = "", schoolId = "", firstName = "", lastName = "", fullName = "", email = "", title = ""
  public var department = ""
  public init() {}
}

public struct QSGuardian: Sendable, Equatable {
  public var id = "", firstName = "", lastName = "", fullName = "", relationship = ""
  public var isEmergencyContact = false, isAuthorizedToPickUp = false
  public var homePhone = "", cellPhone = "", businessPhone = "", email = ""
  public init() {}
}

public struct QSStudent: Sendable, Equatable {
  public var id = "", schoolId = "", studentNumber = "", stateId = "", firstName = "", middleName = ""
  public var lastName = "", fullName = "", classId = "", birthDate = "", gender = "", email = ""
  public var street = "", city = "", state = "", zip = ""
  public var guardians: [QSGuardian] = []
  /// QuickSchools' own status flags (quickschools-source.md): any one makes the student
  /// inactive, and inactive students are not exported.
  public var hasLeft = false, deleted = false, isExpelled = false, hasGraduated = false
  public init() {}

  public var isActive: Bool { !(hasLeft || deleted || isExpelled || hasGraduated) }
}

public struct QSSection: Sendable, Equatable {
  public var id = "", schoolId = "", name = "", code = "", classId = "", semesterId = "", period = ""
  public var subject = "", courseName = "", courseNumber = ""
  public var teacherIds: [String] = []
  public init() {}
}

public struct QSEnrollment: Sendable, Equatable {
  public var schoolId = "", sectionId = "", studentId = ""
  public init() {}
}

/// Any `qs.*` record.
public enum QSRecord: Sendable, Equatable {
  case school(QSSchool)
  case gradeLevel(QSClass)
  case semester(QSSemester)
  case teacher(QSTeacher)
  case staff(QSStaff)
  case student(QSStudent)
  case section(QSSection)
  case enrollment(QSEnrollment)

  public static let types = [
    "qs.school", "qs.class", "qs.semester", "qs.teacher", "qs.staff", "qs.student", "qs.section", "qs.enrollment",
  ]

  /// Decodes a record of one of `types`; nil for any other type (which stages pass on).
  /// One pass over the object's keys: a record is decoded once per line, at district
  /// scale, and a lookup per field would scan the keys twenty times.
  public init?(type: String, object o: JSONObject) throws(RecordError) {
    // Enrollments first: most records are enrollments, and the cases are tried in order.
    switch type {
    case "qs.enrollment":
      var r = QSEnrollment()
      for (key, value) in o {
        switch key {
        case "schoolId": r.schoolId = try value.text(key)
        case "sectionId": r.sectionId = try value.text(key)
        case "studentId": r.studentId = try value.text(key)
        default: break
        }
      }
      try required(r.sectionId, "sectionId")
      try required(r.studentId, "studentId")
      self = .enrollment(r)
    case "qs.school":
      var r = QSSchool()
      for (key, value) in o {
        switch key {
        case "id": r.id = try value.text(key)
        case "code": r.code = try value.text(key)
        case "name": r.name = try value.text(key)
        case "number": r.number = try value.text(key)
        case "street": r.street = try value.text(key)
        case "city": r.city = try value.text(key)
        case "state": r.state = try value.text(key)
        case "zip": r.zip = try value.text(key)
        case "phone": r.phone = try value.text(key)
        case "principalName": r.principalName = try value.text(key)
        case "principalEmail": r.principalEmail = try value.text(key)
        default: break
        }
      }
      try required(r.id, "id")
      self = .school(r)
    case "qs.class":
      var r = QSClass()
      for (key, value) in o {
        switch key {
        case "id": r.id = try value.text(key)
        case "schoolId": r.schoolId = try value.text(key)
        case "name": r.name = try value.text(key)
        case "abbreviation": r.abbreviation = try value.text(key)
        default: break
        }
      }
      try required(r.id, "id")
      self = .gradeLevel(r)
    case "qs.semester":
      var r = QSSemester()
      for (key, value) in o {
        switch key {
        case "id": r.id = try value.text(key)
        case "schoolId": r.schoolId = try value.text(key)
        case "name": r.name = try value.text(key)
        case "startDate": r.startDate = try value.text(key)
        case "endDate": r.endDate = try value.text(key)
        case "active": r.active = try value.flag(key)
        default: break
        }
      }
      try required(r.id, "id")
      self = .semester(r)
    case "qs.teacher":
      var r = QSTeacher()
      for (key, value) in o {
        switch key {
        case "id": r.id = try value.text(key)
        case "schoolId": r.schoolId = try value.text(key)
        case "firstName": r.firstName = try value.text(key)
        case "middleName": r.middleName = try value.text(key)
        case "lastName": r.lastName = try value.text(key)
        case "fullName": r.fullName = try value.text(key)
        case "email": r.email = try value.text(key)
        case "teacherNumber": r.teacherNumber = try value.text(key)
        case "stateId": r.stateId = try value.text(key)
        case "title": r.title = try value.text(key)
        default: break
        }
      }
      try required(r.id, "id")
      self = .teacher(r)
    case "qs.staff":
      var r = QSStaff()
      for (key, value) in o {
        switch key {
        case "id": r.id = try value.text(key)
        case "schoolId": r.schoolId = try value.text(key)
        case "firstName": r.firstName = try value.text(key)
        case "lastName": r.lastName = try value.text(key)
        case "fullName": r.fullName = try value.text(key)
        case "email": r.email = try value.text(key)
        case "title": r.title = try value.text(key)
        case "department": r.department = try value.text(key)
        default: break
        }
      }
      try required(r.id, "id")
      self = .staff(r)
    case "qs.student":
      var r = QSStudent()
      for (key, value) in o {
        switch key {
        case "id": r.id = try value.text(key)
        case "schoolId": r.schoolId = try value.text(key)
        case "studentNumber": r.studentNumber = try value.text(key)
        case "stateId": r.stateId = try value.text(key)
        case "firstName": r.firstName = try value.text(key)
        case "middleName": r.middleName = try value.text(key)
        case "lastName": r.lastName = try value.text(key)
        case "fullName": r.fullName = try value.text(key)
        case "classId": r.classId = try value.text(key)
        case "birthDate": r.birthDate = try value.text(key)
        case "gender": r.gender = try value.text(key)
        case "email": r.email = try value.text(key)
        case "street": r.street = try value.text(key)
        case "city": r.city = try value.text(key)
        case "state": r.state = try value.text(key)
        case "zip": r.zip = try value.text(key)
        case "hasLeft": r.hasLeft = try value.flag(key)
        case "deleted": r.deleted = try value.flag(key)
        case "isExpelled": r.isExpelled = try value.flag(key)
        case "hasGraduated": r.hasGraduated = try value.flag(key)
        case "guardians": r.guardians = try QSGuardian.list(value)
        default: break
        }
      }
      try required(r.id, "id")
      self = .student(r)
    case "qs.section":
      var r = QSSection()
      for (key, value) in o {
        switch key {
        case "id": r.id = try value.text(key)
        case "schoolId": r.schoolId = try value.text(key)
        case "name": r.name = try value.text(key)
        case "code": r.code = try value.text(key)
        case "classId": r.classId = try value.text(key)
        case "semesterId": r.semesterId = try value.text(key)
        case "period": r.period = try value.text(key)
        case "subject": r.subject = try value.text(key)
        case "courseName": r.courseName = try value.text(key)
        case "courseNumber": r.courseNumber = try value.text(key)
        case "teacherIds": r.teacherIds = try o.strings(key)
        default: break
        }
      }
      try required(r.id, "id")
      self = .section(r)
    default:
      return nil
    }
  }
}

/// A string the record cannot do without.
private func required(_ value: String, _ key: String) throws(RecordError) {
  if value.isEmpty { throw RecordError("E_MISSING_KEY", "record has no \"\(key)\"", field: key) }
}

extension QSGuardian {
  init(_ o: JSONObject) throws(RecordError) {
    for (key, value) in o {
      switch key {
      case "id": id = try value.text(key)
      case "firstName": firstName = try value.text(key)
      case "lastName": lastName = try value.text(key)
      case "fullName": fullName = try value.text(key)
      case "relationship": relationship = try value.text(key)
      case "isEmergencyContact": isEmergencyContact = try value.flag(key)
      case "isAuthorizedToPickUp": isAuthorizedToPickUp = try value.flag(key)
      case "homePhone": homePhone = try value.text(key)
      case "cellPhone": cellPhone = try value.text(key)
      case "businessPhone": businessPhone = try value.text(key)
      case "email": email = try value.text(key)
      default: break
      }
    }
  }

  static func list(_ value: JSONValue) throws(RecordError) -> [QSGuardian] {
    var guardians: [QSGuardian] = []
    switch value {
    case .null: return []
    case .array(let elements):
      for (index, element) in elements.enumerated() {
        guard case .object(let object) = element else {
          throw RecordError("E_FIELD_TYPE", "\"guardians\"[\(index)] must be an object, got \(element.kindName)", field: "guardians")
        }
        do throws(RecordError) {
          guardians.append(try QSGuardian(object))
        } catch {
          throw RecordError(error.code, "guardians[\(index)]: " + error.message, field: "guardians")
        }
      }
      return guardians
    default:
      throw RecordError("E_FIELD_TYPE", "\"guardians\" must be an array, got \(value.kindName)", field: "guardians")
    }
  }
}
