import RecordStream

/// The `qs.*` records written out: every key of the record, in the order of
/// roster-records(5), so what qs-extract writes is exactly what `QSRecord(type:object:)`
/// reads. The keys of each type, as data, for the manual's test.
extension QSRecord {
  /// The keys of each `qs.*` type, in the order they are written.
  public static let keys: [String: [String]] = [
    "qs.school": QSSchool.keys, "qs.class": ["id", "schoolId", "name", "abbreviation"],
    "qs.semester": ["id", "schoolId", "name", "startDate", "endDate", "active"],
    "qs.teacher": ["id", "schoolId", "firstName", "middleName", "lastName", "fullName", "email", "teacherNumber", "stateId",
                   "title"],
    "qs.staff": ["id", "schoolId", "firstName", "lastName", "fullName", "email", "title", "department"],
    "qs.student": ["id", "schoolId", "studentNumber", "stateId", "firstName", "middleName", "lastName", "fullName", "classId",
                   "birthDate", "gender", "email", "street", "city", "state", "zip", "hasLeft", "deleted", "isExpelled",
                   "hasGraduated", "guardians"],
    "qs.section": ["id", "schoolId", "name", "code", "classId", "period", "subject", "courseName", "courseNumber",
                   "semesterId", "teacherIds"],
    "qs.enrollment": ["schoolId", "sectionId", "studentId"],
  ]

  /// The record's type.
  public var type: String {
    switch self {
    case .school: "qs.school"
    case .gradeLevel: "qs.class"
    case .semester: "qs.semester"
    case .teacher: "qs.teacher"
    case .staff: "qs.staff"
    case .student: "qs.student"
    case .section: "qs.section"
    case .enrollment: "qs.enrollment"
    }
  }

  /// The record as its line of the stream.
  public var object: JSONObject {
    var o = JSONObject([("type", .string(type))])
    func put(_ key: String, _ value: String) { o.append(key, .string(value)) }
    func put(_ key: String, _ value: Bool) { o.append(key, .bool(value)) }
    switch self {
    case .school(let r):
      for (key, value) in zip(QSSchool.keys, [r.id, r.code, r.name, r.number, r.street, r.city, r.state, r.zip, r.phone,
                                             r.principalName, r.principalEmail]) { put(key, value) }
    case .gradeLevel(let r):
      put("id", r.id); put("schoolId", r.schoolId); put("name", r.name); put("abbreviation", r.abbreviation)
    case .semester(let r):
      put("id", r.id); put("schoolId", r.schoolId); put("name", r.name); put("startDate", r.startDate)
      put("endDate", r.endDate); put("active", r.active)
    case .teacher(let r):
      put("id", r.id); put("schoolId", r.schoolId); put("firstName", r.firstName); put("middleName", r.middleName)
      put("lastName", r.lastName); put("fullName", r.fullName); put("email", r.email); put("teacherNumber", r.teacherNumber)
      put("stateId", r.stateId); put("title", r.title)
    case .staff(let r):
      put("id", r.id); put("schoolId", r.schoolId); put("firstName", r.firstName); put("lastName", r.lastName)
      put("fullName", r.fullName); put("email", r.email); put("title", r.title); put("department", r.department)
    case .student(let r):
      put("id", r.id); put("schoolId", r.schoolId); put("studentNumber", r.studentNumber); put("stateId", r.stateId)
      put("firstName", r.firstName); put("middleName", r.middleName); put("lastName", r.lastName)
      put("fullName", r.fullName); put("classId", r.classId); put("birthDate", r.birthDate); put("gender", r.gender)
      put("email", r.email); put("street", r.street); put("city", r.city); put("state", r.state); put("zip", r.zip)
      put("hasLeft", r.hasLeft); put("deleted", r.deleted); put("isExpelled", r.isExpelled)
      put("hasGraduated", r.hasGraduated)
      o.append("guardians", .array(r.guardians.map { .object($0.object) }))
    case .section(let r):
      put("id", r.id); put("schoolId", r.schoolId); put("name", r.name); put("code", r.code); put("classId", r.classId)
      put("period", r.period); put("subject", r.subject); put("courseName", r.courseName)
      put("courseNumber", r.courseNumber); put("semesterId", r.semesterId)
      o.append("teacherIds", .array(r.teacherIds.map { .string($0) }))
    case .enrollment(let r):
      put("schoolId", r.schoolId); put("sectionId", r.sectionId); put("studentId", r.studentId)
    }
    return o
  }
}

extension QSSchool {
  static let keys = ["id", "code", "name", "number", "street", "city", "state", "zip", "phone", "principalName",
                     "principalEmail"]
}

extension QSGuardian {
  /// The keys of a guardian object, in the order they are written.
  public static let keys = ["id", "firstName", "lastName", "fullName", "relationship", "isEmergencyContact",
                            "isAuthorizedToPickUp", "homePhone", "cellPhone", "businessPhone", "email"]

  public var object: JSONObject {
    var o = JSONObject()
    for (key, value) in zip(["id", "firstName", "lastName", "fullName", "relationship"],
                            [id, firstName, lastName, fullName, relationship]) { o.append(key, .string(value)) }
    o.append("isEmergencyContact", .bool(isEmergencyContact))
    o.append("isAuthorizedToPickUp", .bool(isAuthorizedToPickUp))
    for (key, value) in zip(["homePhone", "cellPhone", "businessPhone", "email"], [homePhone, cellPhone, businessPhone, email]) {
      o.append(key, .string(value))
    }
    return o
  }
}
