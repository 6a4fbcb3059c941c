/// Where each `qs.*` key comes from in QuickSchools' JSON: the one place that names the
/// API's fields.
///
/// The vendor's API reference is not public (quickschools-source.md). A field marked
/// `confirmed` is seen in public client code; every other name is our best reading of
/// the product's own labels ("Class Abbreviation", "Relationship to Student") and is
/// unconfirmed, so a correction is one line here. The first name present in a response
/// wins; later names are other spellings clients have used.
public struct APIField: Sendable {
  public enum Kind: Sendable { case text, flag }

  /// The `qs.*` record key.
  public let key: String
  /// The API's names for it, first preferred.
  public let names: [String]
  public let kind: Kind
  public let confirmed: Bool
  /// clever-map needs it: a response without it is reported (once per field).
  public let needed: Bool

  init(_ key: String, _ names: [String]? = nil, _ kind: Kind = .text, confirmed: Bool = false, needed: Bool = false) {
    self.key = key
    self.names = names ?? [key]
    self.kind = kind
    self.confirmed = confirmed
    self.needed = needed
  }
}

public enum APIFields {
  /// `/school` (unconfirmed endpoint): the school's actual ID, which `School_id` needs.
  public static let school: [APIField] = [
    APIField("id", needed: true), APIField("name", ["name", "schoolName"]), APIField("number", ["number", "schoolNumber"]),
    APIField("street", ["street", "address"]), APIField("city"), APIField("state"), APIField("zip", ["zip", "zipCode"]),
    APIField("phone"), APIField("principalName"), APIField("principalEmail"),
  ]

  /// `/schools` (unconfirmed endpoint): the school whose code is the key's is the one;
  /// its code under one of these names.
  public static let schoolCode = ["code", "schoolCode", "subdomain", "subDomain"]

  /// `/classes`: grade levels.
  public static let gradeLevel: [APIField] = [
    APIField("id", confirmed: true), APIField("name", ["className", "name"], confirmed: true),
    APIField("abbreviation", ["classAbbreviation", "abbreviation"], needed: true),
  ]

  /// `/semesters`: terms.
  public static let semester: [APIField] = [
    APIField("id", confirmed: true), APIField("name", ["semesterName", "name"], confirmed: true),
    APIField("startDate"), APIField("endDate"), APIField("active", ["isActive", "active"], .flag, confirmed: true),
  ]

  /// `/teachers`.
  public static let teacher: [APIField] = [
    APIField("id", confirmed: true), APIField("firstName"), APIField("middleName"), APIField("lastName"),
    APIField("fullName", confirmed: true), APIField("email"), APIField("teacherNumber"), APIField("stateId"),
    APIField("title"),
  ]

  /// `/students`. The flags say why a student is inactive.
  public static let student: [APIField] = [
    APIField("id", confirmed: true), APIField("studentNumber"), APIField("stateId"), APIField("firstName"),
    APIField("middleName"), APIField("lastName"), APIField("fullName", confirmed: true),
    APIField("classId", needed: true), APIField("birthDate", ["birthDate", "dateOfBirth"]), APIField("gender"),
    APIField("email"), APIField("street", ["street", "address"]), APIField("city"), APIField("state"),
    APIField("zip", ["zip", "zipCode"]),
    APIField("hasLeft", nil, .flag, confirmed: true), APIField("deleted", nil, .flag, confirmed: true),
    APIField("isExpelled", nil, .flag, confirmed: true), APIField("hasGraduated", nil, .flag),
  ]

  /// The student's Parents/Guardians, nested in each student under one of these names.
  public static let studentGuardians = ["parents", "guardians"]

  /// A parent or guardian on a student's profile.
  public static let guardian: [APIField] = [
    APIField("id", confirmed: true), APIField("firstName"), APIField("lastName"), APIField("fullName", confirmed: true),
    APIField("relationship", ["relationship", "relationshipToStudent"], needed: true),
    APIField("isEmergencyContact", ["isEmergencyContact", "emergencyContact"], .flag, needed: true),
    APIField("isAuthorizedToPickUp", ["isAuthorizedToPickUp", "authorizedToPickUp"], .flag, needed: true),
    APIField("homePhone"), APIField("cellPhone"), APIField("businessPhone", ["businessPhone", "workPhone"]),
    APIField("email"),
  ]

  /// `/sections` of one semester.
  public static let section: [APIField] = [
    APIField("id", confirmed: true), APIField("name", ["sectionName", "name"], confirmed: true),
    APIField("code", ["sectionCode", "code"], confirmed: true), APIField("classId", confirmed: true),
    APIField("period"), APIField("subject"), APIField("courseName"), APIField("courseNumber"),
  ]
  /// A section's linked teachers, primary first (confirmed), and each one's ID.
  public static let sectionTeachers = ["teachers"]
  public static let sectionTeacherID = ["id"]

  /// A student's sections of the current term, when `/students` is asked for it with
  /// `fields=` (confirmed in public client code, which reads enrollments so in bulk).
  public static let studentSectionIds = "smsClassSubjectSetIdList"

  /// `/sectionenrollments/{sectionId}`: the students of a section (confirmed).
  public static let enrolledStudents = ["students"]
  public static let enrolledStudentID = ["smsStudentStubId", "studentId", "id"]

  /// What `/students` is asked for beyond its default attributes (`fields=`).
  public static let studentExtraFields = [
    "studentNumber", "stateId", "firstName", "middleName", "lastName", "classId", "birthDate", "gender", "email",
    "street", "city", "state", "zip", "hasGraduated", "parents", studentSectionIds,
  ]
}

/// Where the API lives (quickschools-source.md).
public enum APIHosts {
  public static let main = "https://api.quickschools.com/sms/v1"
  /// The same company's second host, with the same paths, which clients use as a backup.
  public static let backup = "https://api.smartschoolcentral.com/sms/v1"
}
