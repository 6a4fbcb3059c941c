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
  public init?(type: String, object o: JSONObject) throws(RecordError) {
    switch type {
    case "qs.school":
      var r = QSSchool()
      r.id = try o.required("id")
      r.code = try o.string("code"); r.name = try o.string("name"); r.number = try o.string("number")
      r.street = try o.string("street"); r.city = try o.string("city"); r.state = try o.string("state")
      r.zip = try o.string("zip"); r.phone = try o.string("phone")
      r.principalName = try o.string("principalName"); r.principalEmail = try o.string("principalEmail")
      self = .school(r)
    case "qs.class":
      var r = QSClass()
      r.id = try o.required("id"); r.schoolId = try o.string("schoolId")
      r.name = try o.string("name"); r.abbreviation = try o.string("abbreviation")
      self = .gradeLevel(r)
    case "qs.semester":
      var r = QSSemester()
      r.id = try o.required("id"); r.schoolId = try o.string("schoolId"); r.name = try o.string("name")
      r.startDate = try o.string("startDate"); r.endDate = try o.string("endDate"); r.active = try o.bool("active")
      self = .semester(r)
    case "qs.teacher":
      var r = QSTeacher()
      r.id = try o.required("id"); r.schoolId = try o.string("schoolId")
      r.firstName = try o.string("firstName"); r.middleName = try o.string("middleName")
      r.lastName = try o.string("lastName"); r.fullName = try o.string("fullName"); r.email = try o.string("email")
      r.teacherNumber = try o.string("teacherNumber"); r.stateId = try o.string("stateId"); r.title = try o.string("title")
      self = .teacher(r)
    case "qs.staff":
      var r = QSStaff()
      r.id = try o.required("id"); r.schoolId = try o.string("schoolId")
      r.firstName = try o.string("firstName"); r.lastName = try o.string("lastName")
      r.fullName = try o.string("fullName"); r.email = try o.string("email")
      r.title = try o.string("title"); r.department = try o.string("department")
      self = .staff(r)
    case "qs.student":
      var r = QSStudent()
      r.id = try o.required("id"); r.schoolId = try o.string("schoolId")
      r.studentNumber = try o.string("studentNumber"); r.stateId = try o.string("stateId")
      r.firstName = try o.string("firstName"); r.middleName = try o.string("middleName")
      r.lastName = try o.string("lastName"); r.fullName = try o.string("fullName")
      r.classId = try o.string("classId"); r.birthDate = try o.string("birthDate"); r.gender = try o.string("gender")
      r.email = try o.string("email"); r.street = try o.string("street"); r.city = try o.string("city")
      r.state = try o.string("state"); r.zip = try o.string("zip")
      r.hasLeft = try o.bool("hasLeft"); r.deleted = try o.bool("deleted")
      r.isExpelled = try o.bool("isExpelled"); r.hasGraduated = try o.bool("hasGraduated")
      for (index, g) in try o.objects("guardians").enumerated() {
        do throws(RecordError) {
          r.guardians.append(try QSGuardian(g))
        } catch {
          throw RecordError(error.code, "guardians[\(index)]: " + error.message, field: "guardians")
        }
      }
      self = .student(r)
    case "qs.section":
      var r = QSSection()
      r.id = try o.required("id"); r.schoolId = try o.string("schoolId"); r.name = try o.string("name")
      r.code = try o.string("code"); r.classId = try o.string("classId"); r.semesterId = try o.string("semesterId")
      r.period = try o.string("period"); r.subject = try o.string("subject")
      r.courseName = try o.string("courseName"); r.courseNumber = try o.string("courseNumber")
      r.teacherIds = try o.strings("teacherIds")
      self = .section(r)
    case "qs.enrollment":
      var r = QSEnrollment()
      r.schoolId = try o.string("schoolId")
      r.sectionId = try o.required("sectionId"); r.studentId = try o.required("studentId")
      self = .enrollment(r)
    default:
      return nil
    }
  }
}

extension QSGuardian {
  init(_ o: JSONObject) throws(RecordError) {
    id = try o.string("id"); firstName = try o.string("firstName"); lastName = try o.string("lastName")
    fullName = try o.string("fullName"); relationship = try o.string("relationship")
    isEmergencyContact = try o.bool("isEmergencyContact"); isAuthorizedToPickUp = try o.bool("isAuthorizedToPickUp")
    homePhone = try o.string("homePhone"); cellPhone = try o.string("cellPhone")
    businessPhone = try o.string("businessPhone"); email = try o.string("email")
  }
}

extension JSONObject {
  /// A string the record cannot do without.
  fileprivate func required(_ key: String) throws(RecordError) -> String {
    let value = try string(key)
    if value.isEmpty { throw RecordError("E_MISSING_KEY", "record has no \"\(key)\"", field: key) }
    return value
  }
}
