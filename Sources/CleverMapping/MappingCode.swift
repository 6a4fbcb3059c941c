/// Every diagnostic code clever-map can emit, with what it means. The man page lists
/// each (a test checks), so a user who sees one can look it up.
public enum MappingCode: String, CaseIterable, Sendable {
  // Warnings: a rule applied and the user should know.
  case gradeUnmapped = "W_GRADE_UNMAPPED"
  case sectionNoTeacher = "W_SECTION_NO_TEACHER"
  case sectionTooManyTeachers = "W_SECTION_TOO_MANY_TEACHERS"
  case sectionDuplicateTeacher = "W_SECTION_DUPLICATE_TEACHER"
  case subjectUnknown = "W_SUBJECT_UNKNOWN"
  case enrollmentDropped = "W_ENROLLMENT_DROPPED"
  case contactPhone = "W_CONTACT_PHONE"
  case contactEmail = "W_CONTACT_EMAIL"
  case contactNoName = "W_CONTACT_NO_NAME"
  case duplicateGuardian = "W_DUPLICATE_GUARDIAN"
  case email = "W_EMAIL"
  case date = "W_DATE"
  case gender = "W_GENDER"
  case address = "W_ADDRESS"
  case phone = "W_PHONE"
  case nameSplit = "W_NAME_SPLIT"
  // Errors: the record cannot be mapped (exit 65 unless --keep-going).
  case unknownSchool = "E_UNKNOWN_SCHOOL"
  case unknownClass = "E_UNKNOWN_CLASS"
  case unknownSemester = "E_UNKNOWN_SEMESTER"
  case unknownTerm = "E_UNKNOWN_TERM"
  case noActiveTerm = "E_NO_ACTIVE_TERM"
  case noSchoolCode = "E_NO_SCHOOL_CODE"
  case lateReference = "E_LATE_REFERENCE"
  case empty = "E_EMPTY"

  public var summary: String {
    switch self {
    case .gradeUnmapped: "a grade level's abbreviation is not a Clever grade: its records get Other"
    case .sectionNoTeacher: "a section has no teacher: it is left out with its enrollments"
    case .sectionTooManyTeachers: "a section has more than 10 teachers: the first 10 are kept"
    case .sectionDuplicateTeacher: "a section lists a teacher twice: exported once"
    case .subjectUnknown: "a section's subject is not one of Clever's: Subject is left empty"
    case .enrollmentDropped: "an enrollment names a student or section that is not exported: left out"
    case .contactPhone: "a guardian's phone number is not 10 or 11 digits: the next number is used"
    case .contactEmail: "a guardian's email is not valid: left out"
    case .contactNoName: "a guardian has no name: the contact is left out"
    case .duplicateGuardian: "a guardian is listed twice on one student: exported once"
    case .email: "a student's, teacher's or principal's email is not valid: left out"
    case .date: "a date cannot be read: left empty"
    case .gender: "a gender is not Male, Female or non-binary: left empty"
    case .address: "a state or ZIP code is not in Clever's format: left out"
    case .phone: "a school phone number is not 10 or 11 digits: left out"
    case .nameSplit: "a person known only by a full name: split at the last space"
    case .unknownSchool: "a record names a school that no earlier qs.school defines"
    case .unknownClass: "a record names a grade level that no earlier qs.class defines"
    case .unknownSemester: "a section names a term that no earlier qs.semester defines"
    case .unknownTerm: "--term names no term of the input"
    case .noActiveTerm: "sections arrive but no term is active: choose one with --term"
    case .noSchoolCode: "--school-id code, but a school has no code"
    case .lateReference: "a reference record (qs.school, qs.class, qs.semester) after a record that needed it"
    case .empty: "the input holds no records"
    }
  }
}
