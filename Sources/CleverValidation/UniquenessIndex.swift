import CleverFormat
import RosterRecords

/// The rules of uniqueness across rows (clever-format.md section 3): an ID once, the
/// file's unique columns (CleverFile.uniqueColumns) once, a staff member once per school,
/// a teacher at one school, and in CSV files every row of a student repeating its own
/// columns. It holds the values those rules need, never rows.
struct UniquenessIndex {
  let rowPerContact: Bool
  /// Staff ID and school, for staff listed twice at one school.
  private var staffAtSchools = Set<String>()
  /// Each unique column's values (lower-cased for emails) → the ID that has it. A unique
  /// column belongs to one file, so the column alone names the table.
  private var owners: [ColumnName: [String: String]] = [:]
  private var teacherSchools: [String: String] = [:]
  /// Students in CSV files: a digest of the non-contact columns.
  private var studentFingerprints: [String: Int] = [:]

  init(rowPerContact: Bool) { self.rowPerContact = rowPerContact }

  /// The finding for a row whose ID, or staff ID at its school, an earlier row has;
  /// `place` says where the ID's first row is (nil when none is recorded), and is asked
  /// only when there is a finding: a student's every contact row comes here.
  func duplicate(_ record: CleverRecord, id: String, idColumn: ColumnName, first place: (() -> String)?) -> Finding? {
    let finding = { (code: ValidationCode, message: String) in
      Finding(code: code, message: message, field: idColumn.text, value: id, contact: nil)
    }
    if record.file == .staff {
      guard staffAtSchools.contains(id + "\u{0}" + record[.schoolID]) else { return nil }
      return finding(.duplicateID, "listed twice at school \"\(record[.schoolID])\"")
    }
    guard let place else { return nil }
    switch record.file {
    case .students where rowPerContact:
      if studentFingerprints[id] == Self.fingerprint(record) { return nil }
      return finding(.contactRowsDiffer, "this row differs from the student's first row (\(place())) outside the contact columns; every row of a student must repeat the same student columns")
    case .teachers where teacherSchools[id] != record[.schoolID]:
      return finding(.teacherTwoSchools, "listed at school \"\(teacherSchools[id] ?? "")\" (\(place())) and again at \"\(record[.schoolID])\"; list a teacher once and attach them to the other school's sections in sections.csv")
    default:
      return finding(.duplicateID, "\(idColumn) \"\(id)\" is not unique: Clever keeps the first row (\(place())) and drops this one")
    }
  }

  /// The row's values of unique columns that another ID already has; values no row had
  /// are recorded as this ID's.
  mutating func conflicts(_ record: CleverRecord, id: String) -> [Finding] {
    var findings: [Finding] = []
    for column in record.file.uniqueColumns {
      let value = record[column]
      if value.isEmpty { continue }
      let key = column == .staffEmail ? value.lowercased() : value
      if let owner = owners[column]?[key] {
        guard owner != id else { continue }
        let code: ValidationCode = column == .staffEmail ? .duplicateEmail : .duplicateNumber
        let what = column == .staffEmail ? "email" : "number"
        findings.append(Finding(code: code, message: "\(column) \"\(value)\" is also the \(what) of \(record.file.noun) \"\(owner)\"",
                                field: column.text, value: value, contact: nil))
      } else {
        owners[column, default: [:]][key] = id
      }
    }
    return findings
  }

  /// Records what later rows of the same ID are compared with.
  mutating func remember(_ record: CleverRecord, id: String) {
    switch record.file {
    case .staff: staffAtSchools.insert(id + "\u{0}" + record[.schoolID])
    case .teachers: teacherSchools[id] = record[.schoolID]
    case .students where rowPerContact: studentFingerprints[id] = Self.fingerprint(record)
    default: break
    }
  }

  static func fingerprint(_ record: CleverRecord) -> Int {
    var hasher = Hasher()
    for (column, value) in zip(record.file.columns, record.fields) where !column.isContact { hasher.combine(value) }
    for (name, value) in record.extensions { hasher.combine(name.lowercased()); hasher.combine(value) }
    return hasher.finalize()
  }
}
