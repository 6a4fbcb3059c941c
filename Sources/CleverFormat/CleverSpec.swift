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
    .init(.schoolID, .required),
    .init(.schoolName, .required),
    .init(.schoolNumber, .documented),
    .init(.stateID, .optional),
    .init(.lowGrade, .optional, .grade(allowsRange: true)),
    .init(.highGrade, .optional, .grade(allowsRange: true)),
    .init(.principal, .optional),
    .init(.principalEmail, .optional, .email),
    .init(.schoolAddress, .optional),
    .init(.schoolCity, .optional),
    .init(.schoolState, .optional, .state),
    .init(.schoolZip, .optional, .zip),
    .init(.schoolPhone, .optional, .phone),
  ]

  static let students: [CleverColumn] = [
    .init(.schoolID, .required, references: .schools),
    .init(.studentID, .required),
    .init(.studentNumber, .optional),
    .init(.stateID, .optional),
    .init(.lastName, .required),
    .init(.middleName, .optional),
    .init(.firstName, .required),
    .init(.grade, .optional, .grade(allowsRange: false)),
    .init(.gender, .optional, .oneOf(genders)),
    .init(.graduationYear, .optional),
    .init(.dob, .optional, .date(birth: true)),
    .init(.race, .optional, .oneOf(races)),
    .init(.hispanicLatino, .optional, .oneOf(yesNo)),
    .init(.homeLanguage, .optional, .oneOf(homeLanguages)),
    .init(.ellStatus, .optional, .oneOf(yesNo)),
    .init(.frlStatus, .optional, .oneOf(frl)),
    .init(.iepStatus, .optional, .oneOf(yesNo)),
    .init(.studentStreet, .optional),
    .init(.studentCity, .optional),
    .init(.studentState, .optional, .state),
    .init(.studentZip, .optional, .zip),
    .init(.studentEmail, .optional, .email),
    .init(.contactRelationship, .optional, .oneOf(contactRelationships)),
    .init(.contactType, .requiredWithContact, .oneOf(contactTypes)),
    .init(.contactName, .requiredWithContact),
    .init(.contactPhone, .optional, .phone),
    .init(.contactPhoneType, .optional, .oneOf(phoneTypes)),
    .init(.contactEmail, .optional, .email),
    .init(.contactSisID, .optional),
    .init(.username, .optional),
    .init(.password, .optional),
    .init(.unweightedGPA, .optional),
    .init(.weightedGPA, .optional),
  ]

  static let teachers: [CleverColumn] = [
    .init(.schoolID, .required, references: .schools),
    .init(.teacherID, .required),
    .init(.teacherNumber, .optional),
    .init(.stateTeacherID, .optional),
    .init(.teacherEmail, .optional, .email),
    .init(.firstName, .required),
    .init(.middleName, .optional),
    .init(.lastName, .required),
    .init(.title, .optional),
    .init(.username, .optional),
    .init(.password, .optional),
  ]

  /// The nine co-teacher columns after the primary `Teacher_id`.
  public static let coTeacherColumns = (2...10).map { "Teacher_\($0)_id" }

  static let sections: [CleverColumn] =
    [
      .init(.schoolID, .required, references: .schools),
      .init(.sectionID, .required),
      .init(.teacherID, .required, references: .teachers),
    ] + coTeacherColumns.map { CleverColumn(ColumnName($0), .optional, references: .teachers) } + [
      .init(.name, .optional),
      .init(.sectionNumber, .optional),
      .init(.grade, .optional, .grade(allowsRange: true)),
      .init(.courseName, .optional),
      .init(.courseNumber, .optional),
      .init(.courseDescription, .optional),
      .init(.period, .optional),
      .init(.subject, .optional, .oneOf(subjects)),
      .init(.termName, .optional),
      .init(.termStart, .optional, .date(birth: false)),
      .init(.termEnd, .optional, .date(birth: false)),
    ]

  static let enrollments: [CleverColumn] = [
    .init(.schoolID, .required, references: .schools),
    .init(.sectionID, .required, references: .sections),
    .init(.studentID, .required, references: .students),
  ]

  static let staff: [CleverColumn] = [
    .init(.schoolID, .required, references: .schools),
    .init(.staffID, .required),
    .init(.staffEmail, .required, .email),
    .init(.firstName, .required),
    .init(.lastName, .required),
    .init(.department, .optional),
    .init(.title, .optional),
    .init(.username, .optional),
    .init(.password, .optional),
    .init(.role, .optional, .oneOf(staffRoles)),
  ]
}
