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
  public var idColumn: String? {
    switch self {
    case .schools: "School_id"
    case .students: "Student_id"
    case .teachers: "Teacher_id"
    case .sections: "Section_id"
    case .enrollments: nil
    case .staff: "Staff_id"
    }
  }

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
