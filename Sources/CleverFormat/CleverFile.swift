/// The files of a Clever SFTP upload (clever-format.md section 1).
public enum CleverFile: String, CaseIterable, Sendable {
  case schools, students, teachers, sections, enrollments, staff

  /// The position in `allCases`.
  public var ordinal: Int {
    switch self {
    case .schools: 0
    case .students: 1
    case .teachers: 2
    case .sections: 3
    case .enrollments: 4
    case .staff: 5
    }
  }

  /// The file's name on the server: lower case, as Clever expects.
  public var fileName: String { rawValue + ".csv" }

  /// The stream record type that corresponds to one row (records.md).
  public var recordType: String {
    switch self {
    case .schools: "clever.school"
    case .students: "clever.student"
    case .teachers: "clever.teacher"
    case .sections: "clever.section"
    case .enrollments: "clever.enrollment"
    case .staff: "clever.staff"
    }
  }

  /// Without any one of these, Clever processes nothing from the upload.
  public var isRequired: Bool { self != .staff }

  /// The column that identifies a row, unique across the district (none for enrollments).
  public var idColumn: ColumnName? {
    switch self {
    case .schools: .schoolID
    case .students: .studentID
    case .teachers: .teacherID
    case .sections: .sectionID
    case .enrollments: nil
    case .staff: .staffID
    }
  }

  /// What one row is, in messages: `student "7001"`.
  public var noun: String {
    switch self {
    case .schools: "school"
    case .students: "student"
    case .teachers: "teacher"
    case .sections: "section"
    case .enrollments: "enrollment"
    case .staff: "staff"
    }
  }

  /// Columns besides the ID whose values no two rows may share (clever-format.md
  /// section 3); staff emails are checked without regard to case.
  public var uniqueColumns: [ColumnName] { Self.uniqueColumns[ordinal] }

  /// By ordinal, built once: it is read for every record.
  private static let uniqueColumns: [[ColumnName]] = allCases.map { file in
    switch file {
    case .students: [.studentNumber]
    case .teachers: [.teacherNumber]
    case .staff: [.staffEmail]
    default: []
    }
  }

  /// The order sftp-put uploads and publishes a set in, students last (sftp-put(1)).
  public static let uploadOrder: [CleverFile] = [.staff, .schools, .teachers, .sections, .enrollments, .students]

  /// Whether `ext.<name>` extension columns are accepted.
  public var acceptsExtensions: Bool { self != .enrollments }

  public init?(recordType: String) {
    guard let file = CleverFile.allCases.first(where: { $0.recordType == recordType }) else { return nil }
    self = file
  }

  public init?(fileName: String) {
    guard let file = CleverFile.allCases.first(where: { $0.fileName == fileName.lowercased() }) else { return nil }
    self = file
  }

  public var columns: [CleverColumn] { CleverSpec.columns(of: self) }
}
