/// Clever's SFTP format, written once, as data: the columns of every file in the order
/// and spelling this project writes them (clever-format.md section 4). The CSV writer's
/// headers, the CSV reader's header matching, the mapper's records and the validator all
/// read this table; adding a column or an allowed value is a one-line change here.
public enum CleverSpec {
  public static let grades = AllowedValues("grade", CleverGrade.allCases.map(\.rawValue))
  public static let genders = AllowedValues(
    "gender", ["M", "F", "X"], words: ["male": "M", "female": "F", "boy": "M", "girl": "F"])
  public static let races = AllowedValues("race", ["A", "B", "I", "M", "P", "W"])
  public static let yesNo = AllowedValues("Y/N", ["Y", "N"], words: ["yes": "Y", "no": "N"])
  /// The SFTP document's letters. Clever's API v3.1 writes the same statuses as words
  /// (`Free`, `Reduced`, `Paid`), each one letter here; its `Other` has no letter and no
  /// documented meaning over SFTP, so it stays a warning (clever-validate(1)).
  public static let frl = AllowedValues(
    "FRL status", ["F", "R", "N"], words: ["free": "F", "reduced": "R", "paid": "N"])
  /// Clever's API v3.1 names (clever-format.md section 8), compared without regard to
  /// case; a name off the list is a warning: Clever documents no rejection for it.
  public static let homeLanguages = AllowedValues("home language", HomeLanguages.names)
  /// Relatives' words, which Clever's demo files write as contact types and
  /// relationships: each names one documented relationship, and a contact type of
  /// `Parent/Guardian` (parents) or `Family` (other relatives). `Cousin`, `Great Aunt`
  /// have no documented relationship, and `Family Friend` neither: they stay warnings.
  static let parentWords = ["mother", "father", "stepmother", "stepfather", "mom", "dad", "parent", "guardian"]
  static let relativeWords: [String: String] =
    Dictionary(uniqueKeysWithValues: ["grandmother", "grandfather", "grandma", "grandpa"].map { ($0, "Grandparent") }
      + ["aunt", "uncle"].map { ($0, "Aunt/Uncle") }
      + ["brother", "sister", "stepbrother", "stepsister"].map { ($0, "Sibling") })
  public static let contactTypes = AllowedValues(
    "contact type", ["Primary", "Secondary", "Parent/Guardian", "Emergency", "Family", "Other"],
    words: Dictionary(uniqueKeysWithValues: parentWords.map { ($0, "Parent/Guardian") }
      + (Array(relativeWords.keys) + ["cousin", "great aunt", "great uncle"]).map { ($0, "Family") }))
  public static let contactRelationships = AllowedValues(
    "contact relationship", ["Parent", "Grandparent", "Self", "Aunt/Uncle", "Sibling", "Other"],
    words: relativeWords.merging(parentWords.map { ($0, "Parent") }) { first, _ in first })
  public static let phoneTypes = AllowedValues("phone type", ["Cell", "Home", "Work", "Other"])
  public static let subjects = AllowedValues(
    "subject",
    [
      "English/language arts", "Math", "Science", "Social studies", "Language", "Homeroom/advisory",
      "Interventions/online learning", "Technology and engineering", "PE and health", "Arts and music", "other",
    ])
  public static let staffRoles = AllowedValues(
    "staff role", ["School Tech Lead"], aliases: ["schooltechlead": "School Tech Lead", "stl": "School Tech Lead"])

  /// Staff may belong to the district office instead of a school.
  public static let districtOfficeSchoolID = "DEFAULT_DISTRICT_OFFICE"

  public static func columns(of file: CleverFile) -> [CleverColumn] {
    switch file {
    case .schools: schools
    case .students: students
    case .teachers: teachers
    case .sections: sections
    case .enrollments: enrollments
    case .staff: staff
    }
  }

  static let schools: [CleverColumn] = [
    .init("School_id", .required),
    .init("School_name", .required),
    .init("School_number", .documented),
    .init("State_id", .optional),
    .init("Low_grade", .optional, .grade(allowsRange: true)),
    .init("High_grade", .optional, .grade(allowsRange: true)),
    .init("Principal", .optional),
    .init("Principal_email", .optional, .email),
    .init("School_address", .optional),
    .init("School_city", .optional),
    .init("School_state", .optional, .state),
    .init("School_zip", .optional, .zip),
    .init("School_phone", .optional, .phone),
  ]

  static let students: [CleverColumn] = [
    .init("School_id", .required, references: .schools),
    .init("Student_id", .required),
    .init("Student_number", .optional),
    .init("State_id", .optional),
    .init("Last_name", .required),
    .init("Middle_name", .optional),
    .init("First_name", .required),
    .init("Grade", .optional, .grade(allowsRange: false)),
    .init("Gender", .optional, .oneOf(genders)),
    .init("Graduation_year", .optional),
    .init("DOB", .optional, .date(birth: true)),
    .init("Race", .optional, .oneOf(races)),
    .init("Hispanic_Latino", .optional, .oneOf(yesNo)),
    .init("Home_language", .optional, .oneOf(homeLanguages)),
    .init("Ell_status", .optional, .oneOf(yesNo)),
    .init("Frl_status", .optional, .oneOf(frl)),
    .init("IEP_status", .optional, .oneOf(yesNo)),
    .init("Student_street", .optional),
    .init("Student_city", .optional),
    .init("Student_state", .optional, .state),
    .init("Student_zip", .optional, .zip),
    .init("Student_email", .optional, .email),
    .init("Contact_relationship", .optional, .oneOf(contactRelationships)),
    .init("Contact_type", .requiredWithContact, .oneOf(contactTypes)),
    .init("Contact_name", .requiredWithContact),
    .init("Contact_phone", .optional, .phone),
    .init("Contact_phone_type", .optional, .oneOf(phoneTypes)),
    .init("Contact_email", .optional, .email),
    .init("Contact_sis_id", .optional),
    .init("Username", .optional),
    .init("Password", .optional),
    .init("Unweighted_gpa", .optional),
    .init("Weighted_gpa", .optional),
  ]

  static let teachers: [CleverColumn] = [
    .init("School_id", .required, references: .schools),
    .init("Teacher_id", .required),
    .init("Teacher_number", .optional),
    .init("State_teacher_id", .optional),
    .init("Teacher_email", .optional, .email),
    .init("First_name", .required),
    .init("Middle_name", .optional),
    .init("Last_name", .required),
    .init("Title", .optional),
    .init("Username", .optional),
    .init("Password", .optional),
  ]

  /// The nine co-teacher columns after the primary `Teacher_id`.
  public static let coTeacherColumns = (2...10).map { "Teacher_\($0)_id" }

  static let sections: [CleverColumn] =
    [
      .init("School_id", .required, references: .schools),
      .init("Section_id", .required),
      .init("Teacher_id", .required, references: .teachers),
    ] + coTeacherColumns.map { CleverColumn($0, .optional, references: .teachers) } + [
      .init("Name", .optional),
      .init("Section_number", .optional),
      .init("Grade", .optional, .grade(allowsRange: true)),
      .init("Course_name", .optional),
      .init("Course_number", .optional),
      .init("Course_description", .optional),
      .init("Period", .optional),
      .init("Subject", .optional, .oneOf(subjects)),
      .init("Term_name", .optional),
      .init("Term_start", .optional, .date(birth: false)),
      .init("Term_end", .optional, .date(birth: false)),
    ]

  static let enrollments: [CleverColumn] = [
    .init("School_id", .required, references: .schools),
    .init("Section_id", .required, references: .sections),
    .init("Student_id", .required, references: .students),
  ]

  static let staff: [CleverColumn] = [
    .init("School_id", .required, references: .schools),
    .init("Staff_id", .required),
    .init("Staff_email", .required, .email),
    .init("First_name", .required),
    .init("Last_name", .required),
    .init("Department", .optional),
    .init("Title", .optional),
    .init("Username", .optional),
    .init("Password", .optional),
    .init("Role", .optional, .oneOf(staffRoles)),
  ]
}
