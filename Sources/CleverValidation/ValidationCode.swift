import RecordStream
import RosterRecords

/// Every finding clever-validate can report, with a stable code, in one of two tiers
/// (clever-validate(1), "TIERS"; a test holds the manual to this table):
///
/// - **error** (`E_`): Clever does not process the upload, or drops the row or the
///   reference: a missing required file or ID column, an empty, blank or duplicate ID or
///   required value, a reference to a row that is not there, a row lost with one that is
///   dropped, a file Clever cannot parse.
/// - **warning** (`W_`): the value departs from Clever's documented format, but Clever's
///   own files show the form or Clever's documentation does not say it drops the row.
///   The message says what Clever documents and, where one is obvious, what to write.
///
/// Only errors reject a row, so only errors cascade (`E_LOST`). `--strict` counts
/// warnings as failures.
public enum ValidationCode: String, CaseIterable, Sendable {
  // One row's own values.
  case required = "E_REQUIRED"
  /// A required column's value that is not one (Staff_email, Clever's key for staff).
  case requiredEmail = "E_EMAIL"
  case contactIncomplete = "E_CONTACT_INCOMPLETE"
  /// A NUL or another C0 control character but tab, CR and LF (ControlCharacter).
  case controlCharacter = "E_CONTROL_CHAR"
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
  // Warnings: a value off Clever's documented format, with no obvious documented form.
  case grade = "W_GRADE"
  case date = "W_DATE"
  case email = "W_EMAIL"
  case phone = "W_PHONE"
  case zip = "W_ZIP"
  case state = "W_STATE"
  case enumeration = "W_VALUE"
  // Warnings: forms with one obvious documented form, columns and files.
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
    case .requiredEmail: "a Staff_email that is not an email address; Clever knows staff by it."
    case .grade: "not a Clever grade value (1-13, Kindergarten, ...); map the grade level."
    case .date: "not a real date written MM/DD/YYYY."
    case .email: "not an email address (local@domain.tld, no spaces)."
    case .phone: "not 10 or 11 digits with no punctuation."
    case .zip: "not 5 or 9 digits with no punctuation."
    case .state: "not a two-letter state code."
    case .enumeration: "not one of the values Clever documents for the column (a home language off its 152 names)."
    case .contactIncomplete: "a contact column is set but Contact_name or Contact_type is empty."
    case .controlCharacter:
      "a value holds a control character (a NUL, an escape; any but tab, CR and LF): a broken export upstream. Remove it there."
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
        + "(336)533-1632 x218, grade 0, contact words); the message says the documented form to write, "
        + "and clever-csv read --normalize writes it."
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
