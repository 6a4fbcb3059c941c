import RecordStream

/// Every finding clever-validate can report, with a stable code. Severity follows what
/// Clever does: what makes Clever reject or drop a row is an error (`E_`); what Clever
/// accepts but a user should know is a warning (`W_`). The man page lists every code
/// with its fix (a test checks).
public enum ValidationCode: String, CaseIterable, Sendable {
  // One row's own values.
  case required = "E_REQUIRED"
  case grade = "E_GRADE"
  case date = "E_DATE"
  case email = "E_EMAIL"
  case phone = "E_PHONE"
  case zip = "E_ZIP"
  case state = "E_STATE"
  case enumeration = "E_ENUM"
  case contactIncomplete = "E_CONTACT_INCOMPLETE"
  // Across rows and files.
  case duplicateID = "E_DUPLICATE_ID"
  case duplicateNumber = "E_DUPLICATE_NUMBER"
  case duplicateEmail = "E_DUPLICATE_EMAIL"
  case teacherTwoSchools = "E_TEACHER_TWO_SCHOOLS"
  case contactRowsDiffer = "E_CONTACT_ROWS_DIFFER"
  case unknownSchool = "E_UNKNOWN_SCHOOL"
  case unknownTeacher = "E_UNKNOWN_TEACHER"
  case unknownSection = "E_UNKNOWN_SECTION"
  case unknownStudent = "E_UNKNOWN_STUDENT"
  case lost = "E_LOST"
  // CSV files.
  case missingFile = "E_MISSING_FILE"
  case missingColumn = "E_MISSING_COLUMN"
  case duplicateColumn = "E_DUPLICATE_COLUMN"
  case rowFields = "E_ROW_FIELDS"
  case emptyFile = "E_EMPTY_FILE"
  case unreadable = "E_CSV"
  // Warnings.
  /// A value in a form Clever's own data shows, with one obvious documented form.
  case documentedForm = "W_FORMAT"
  /// A column Clever's document requires but Clever processes files without.
  case documentedColumn = "W_MISSING_COLUMN"
  /// Lines ended by a CR alone, as some of Clever's demo files; Clever documents CRLF.
  case lineEndings = "W_LINE_ENDINGS"
  case emptySection = "W_EMPTY_SECTION"
  case duplicateCoTeacher = "W_DUPLICATE_COTEACHER"
  case unknownColumn = "W_UNKNOWN_COLUMN"
  case noRows = "W_NO_ROWS"

  public var severity: Severity { rawValue.hasPrefix("E_") ? .error : .warning }

  /// What the code means and what to do about it.
  public var explanation: String {
    switch self {
    case .required: "a required value is empty; Clever skips the row. Fill it in the SIS."
    case .grade: "not a Clever grade value (1-13, Kindergarten, ...); map the grade level."
    case .date: "not a real date written MM/DD/YYYY."
    case .email: "not an email address (local@domain.tld, no spaces)."
    case .phone: "not 10 or 11 digits with no punctuation."
    case .zip: "not 5 or 9 digits with no punctuation."
    case .state: "not a two-letter state code."
    case .enumeration: "not one of the values Clever allows for the column."
    case .contactIncomplete: "a contact column is set but Contact_name or Contact_type is empty."
    case .duplicateID: "an ID that an earlier row already has; Clever keeps only the first."
    case .duplicateNumber: "a Student_number or Teacher_number that another row already has."
    case .duplicateEmail: "a Staff_email that another staff member already has."
    case .teacherTwoSchools: "a teacher listed at two schools; list once and attach through sections.csv."
    case .contactRowsDiffer: "rows of one student disagree in a non-contact column."
    case .unknownSchool: "a School_id that schools.csv does not have."
    case .unknownTeacher: "a section teacher that teachers.csv does not have."
    case .unknownSection: "an enrollment's Section_id that sections.csv does not have."
    case .unknownStudent: "an enrollment's Student_id that students.csv does not have."
    case .lost: "a row that names a row Clever rejects is lost with it; fix the row it names."
    case .missingFile: "a required file is missing; Clever processes nothing from the upload."
    case .missingColumn: "a required column is missing from the header."
    case .duplicateColumn: "a column appears twice in the header."
    case .rowFields: "a row has more or fewer fields than the header; Clever cannot read it."
    case .emptyFile: "a file with no header row."
    case .unreadable: "the file is not readable CSV (an unbalanced quote, a NUL byte, invalid UTF-8)."
    case .documentedForm:
      "a value in a form Clever's own files use but its format does not document (gender words, 11/1/98, "
        + "(336)533-1632 x218, grade 0); the message says the documented form to write."
    case .documentedColumn:
      "a column Clever's format documents as required (School_number) is missing; Clever processes files without it."
    case .lineEndings: "lines end with a CR alone; Clever documents CRLF. clever-csv read | clever-csv write rewrites them."
    case .emptySection: "a section with no enrollments; Clever ignores it."
    case .duplicateCoTeacher: "a section lists the same teacher in two teacher columns."
    case .unknownColumn: "a column Clever does not know; it is ignored (name extensions ext.<name>)."
    case .noRows: "a required file with a header but no rows."
    }
  }
}
