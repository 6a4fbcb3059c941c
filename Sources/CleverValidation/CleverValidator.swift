import CleverFormat
import RecordStream
import RosterRecords

/// Checks Clever records against every rule of clever-format.md, one record at a time,
/// holding only what the checks across records need: IDs, numbers, emails, and for each
/// ID whether Clever would accept its row (so the rows that name it can be judged).
///
/// Records may come in any order for schools (clever-map writes them last). Rows that
/// name a row not seen yet wait in a `ReferenceBook` until `finish()`; a row that names a
/// row Clever rejects is reported as lost (E_LOST) with the reason it inherits.
public final class CleverValidator {
  public struct Options: Sendable {
    /// Whether rows of one student may repeat its ID (CSV files: one row per contact).
    public var rowPerContact = false
    /// How many places to keep per unresolved reference (nil: all of them, for --all).
    public var placesPerReference: Int? = 20
    public init(rowPerContact: Bool = false, placesPerReference: Int? = 20) {
      self.rowPerContact = rowPerContact
      self.placesPerReference = placesPerReference
    }
  }

  /// What is held for each ID: 8 bytes, since a district has millions of students and
  /// their enrollments. Whatever only some IDs need lives in the side tables below.
  struct Seen {
    var line: Int32
    var source: UInt16
    /// The row's School_id, interned.
    var school: UInt16
    var valid: Bool
    /// Valid so far, but waiting on a teacher, student or section not seen yet: the
    /// rows that name it wait with it.
    var waiting = false
  }

  public let options: Options
  private let report: (Diagnostic) -> Void
  public internal(set) var reports: [CleverFile: FileReport] = [:]

  var seen: [[String: Seen]] = Array(repeating: [:], count: CleverFile.allCases.count)
  /// Why a rejected row is rejected, by file and ID (rejected rows only).
  var reasons: [[String: String]] = Array(repeating: [:], count: CleverFile.allCases.count)
  private var teacherSchools: [String: String] = [:]
  /// Enrollments naming each section, for the empty-section check.
  var sectionEnrollments: [String: Int] = [:]
  /// Students in CSV files: a digest of the non-contact columns, which every row of a
  /// student must share.
  private var studentFingerprints: [String: Int] = [:]
  var sources: [String] = []
  private var sourceIndexes: [String: UInt16] = [:]
  var schoolNames: [String] = []
  private var schoolIndexes: [String: UInt16] = [:]
  private var staffKeys = Set<String>()
  private var staffEmails: [String: String] = [:]
  private var studentNumbers: [String: String] = [:]
  private var teacherNumbers: [String: String] = [:]
  var waitingForSchool: ReferenceBook
  var waitingFor: [CleverFile: ReferenceBook] = [:]
  /// Files whose references are not checked (validating single CSV files without them).
  public var absentFiles: Set<CleverFile> = []
  /// Files read to their end (CSV files, read in dependency order): a reference to an ID
  /// they lack is decided at once, so the rows that name the rejected row are lost too.
  public private(set) var completeFiles: Set<CleverFile> = []
  /// Where summary lines for people go ("... and 40 more rows name school \"9\"").
  public var note: (String) -> Void = { _ in }

  /// Says that every row of `file` has been checked.
  public func complete(_ file: CleverFile) { completeFiles.insert(file) }

  public init(options: Options = Options(), report: @escaping (Diagnostic) -> Void) {
    self.options = options
    self.report = report
    waitingForSchool = ReferenceBook(keep: options.placesPerReference ?? Int.max)
    // Rows waiting on a teacher, student or section are few (a stream out of order)
    // and all are kept: each must be judged, and the rows that name it after it.
    for file in [CleverFile.teachers, .sections, .students] { waitingFor[file] = ReferenceBook(keep: Int.max) }
  }

  // MARK: One record

  /// Checks one record; `source` and `line` name where it came from.
  public func check(_ record: CleverRecord, source: String, line: Int) {
    let file = record.file
    let rows = file == .students ? max(1, record.contacts.count) : 1
    reports[file, default: FileReport()].records += 1
    reports[file, default: FileReport()].rows += rows
    let id = file.idColumn.map { record[$0] } ?? ""
    let say = { (code: ValidationCode, message: String, field: String?, value: String?) in
      self.emit(code, message, file: file, source: source, line: line, id: id, field: field, value: value)
    }

    // The row's own values.
    var reason: String?
    var badContacts = Set<Int>()
    for finding in RowCheck.findings(of: record) {
      say(finding.code, finding.message, finding.field, finding.value)
      guard finding.code.severity == .error else { continue }
      if let contact = finding.contact {
        badContacts.insert(contact)
      } else if reason == nil {
        reason = "[\(finding.code.rawValue)] \(finding.message)"
      }
    }
    var dropped = reason == nil ? badContacts.count : rows
    if reason == nil, !record.contacts.isEmpty, badContacts.count == record.contacts.count {
      reason = "every contact row of the student is rejected"
    }

    // Uniqueness.
    if let idColumn = file.idColumn, !id.isEmpty, let duplicate = duplicateFinding(record, id: id, idColumn: idColumn) {
      // The first row with the ID stands; this one is dropped and not recorded.
      say(duplicate.code, duplicate.message, idColumn, id)
      reports[file, default: FileReport()].droppedRows += rows
      return
    }
    for (column, numbers) in [("Student_number", file == .students), ("Teacher_number", file == .teachers)] where numbers {
      let number = record[column]
      if number.isEmpty { continue }
      let owner = file == .students ? studentNumbers[number] : teacherNumbers[number]
      if let owner, owner != id {
        say(.duplicateNumber, "\(column) \"\(number)\" is also the number of \(describe(file)) \"\(owner)\"", column, number)
        if reason == nil { reason = "[E_DUPLICATE_NUMBER] \(column) \"\(number)\" is not unique" }
        dropped = rows
      } else if file == .students {
        studentNumbers[number] = id
      } else {
        teacherNumbers[number] = id
      }
    }

    // Rows it names. Rows not seen yet are waited for; the waits are booked at the end,
    // once it is known whether this row is rejected anyway (then it is reported for the
    // missing row too, but not counted as dropped twice).
    let school = record["School_id"]
    var waitsOnSchool = ""
    var waits: [(CleverFile, String, String)] = []  // (file, target, column)
    if file != .schools, !school.isEmpty, !(file == .staff && school == CleverSpec.districtOfficeSchoolID),
      !absentFiles.contains(.schools)
    {
      if let target = seen[CleverFile.schools.ordinal][school] {
        if !target.valid, reason == nil {
          reason = "its school \"\(school)\" is rejected"
          say(.lost, "lost with its school \"\(school)\", which Clever rejects: \(why(.schools, school))", "School_id", school)
        }
      } else if completeFiles.contains(.schools) {
        if reason == nil { reason = "its school \"\(school)\" is not in schools.csv" }
        say(.unknownSchool, "School_id \"\(school)\" is not in schools.csv", "School_id", school)
      } else {
        waitsOnSchool = school
      }
    }
    for (column, targetFile) in references(of: record) where reason == nil && !absentFiles.contains(targetFile) {
      let target = record[column]
      if target.isEmpty { continue }
      if let entry = seen[targetFile.ordinal][target] {
        if !entry.valid {
          reason = "its \(describe(targetFile)) \"\(target)\" is rejected"
          say(.lost, "lost with its \(describe(targetFile)) \"\(target)\" (\(column)), which Clever rejects: \(why(targetFile, target))",
              column, target)
        } else if entry.waiting || (schoolNames[Int(entry.school)] != school && !isKnownValidSchool(entry.school)) {
          // It may yet be rejected: for a row it waits on, or for a school of its own
          // that has not come (this row's own school covers the usual case).
          waits.append((targetFile, target, column))
        }
      } else if completeFiles.contains(targetFile) {
        reason = "its \(describe(targetFile)) \"\(target)\" is not in \(targetFile.fileName)"
        say(Self.unknownCode(targetFile), "\(column) \"\(target)\" is not in \(targetFile.fileName)", column, target)
      } else {
        waits.append((targetFile, target, column))
      }
    }
    let counted = reason == nil
    if !waitsOnSchool.isEmpty {
      waitingForSchool.add(
        target: waitsOnSchool,
        .init(file: file, source: source, line: line, id: id, column: "School_id", rows: rows, school: "",
              section: record["Section_id"], counted: counted))
    }
    for (targetFile, target, column) in waits {
      waitingFor[targetFile]!.add(
        target: target,
        .init(file: file, source: source, line: line, id: id, column: column, rows: rows, school: waitsOnSchool,
              section: record["Section_id"], counted: counted))
    }
    if reason != nil { dropped = rows }
    reports[file, default: FileReport()].droppedRows += dropped

    // What later rows need to know about this one.
    if file == .enrollments, reason == nil {
      sectionEnrollments[record["Section_id"], default: 0] += 1
    }
    guard file.idColumn != nil, !id.isEmpty else { return }
    if file == .staff {
      staffKeys.insert(id + "\u{0}" + school)
      let email = record["Staff_email"].lowercased()
      if !email.isEmpty, staffEmails[email] == nil { staffEmails[email] = id }
      return
    }
    if seen[file.ordinal][id] != nil {
      // Another row of a student already recorded: the student stands if any row does.
      if reason == nil {
        seen[file.ordinal][id]!.valid = true
        reasons[file.ordinal][id] = nil
      }
      return
    }
    seen[file.ordinal][id] = Seen(
      line: Int32(clamping: line), source: intern(source, in: &sources, &sourceIndexes),
      school: intern(school, in: &schoolNames, &schoolIndexes), valid: reason == nil, waiting: !waits.isEmpty && reason == nil)
    if let reason { reasons[file.ordinal][id] = reason }
    if file == .teachers { teacherSchools[id] = school }
    if file == .students, options.rowPerContact { studentFingerprints[id] = Self.fingerprint(record) }
  }

  /// A small number for a string that many rows share (an input's name, a school ID).
  private func intern(_ text: String, in table: inout [String], _ indexes: inout [String: UInt16]) -> UInt16 {
    if let index = indexes[text] { return index }
    let index = UInt16(clamping: table.count)
    table.append(text)
    indexes[text] = index
    return index
  }

  private func isKnownValidSchool(_ index: UInt16) -> Bool {
    seen[CleverFile.schools.ordinal][schoolNames[Int(index)]]?.valid == true
  }

  func why(_ file: CleverFile, _ id: String) -> String { reasons[file.ordinal][id] ?? "rejected" }

  static func unknownCode(_ file: CleverFile) -> ValidationCode {
    switch file {
    case .schools: .unknownSchool
    case .teachers: .unknownTeacher
    case .sections: .unknownSection
    default: .unknownStudent
    }
  }

  private func references(of record: CleverRecord) -> [(String, CleverFile)] {
    record.file.columns.compactMap { column in
      guard let target = column.references, target != .schools else { return nil }
      return (column.name, target)
    }
  }

  private func duplicateFinding(_ record: CleverRecord, id: String, idColumn: String) -> Finding? {
    let file = record.file
    let say = { (code: ValidationCode, message: String) in
      Finding(code: code, message: message, field: idColumn, value: id, contact: nil)
    }
    if file == .staff {
      let key = id + "\u{0}" + record["School_id"]
      if staffKeys.contains(key) {
        return say(.duplicateID, "listed twice at school \"\(record["School_id"])\"")
      }
      let email = record["Staff_email"].lowercased()
      if !email.isEmpty, let owner = staffEmails[email], owner != id {
        return Finding(code: .duplicateEmail, message: "Staff_email \"\(record["Staff_email"])\" is also the email of staff \"\(owner)\"",
                       field: "Staff_email", value: record["Staff_email"], contact: nil)
      }
      return nil
    }
    guard let first = seen[file.ordinal][id] else { return nil }
    let place = "\(sources[Int(first.source)]):\(first.line)"
    switch file {
    case .students where options.rowPerContact:
      if studentFingerprints[id] == Self.fingerprint(record) { return nil }
      return say(.contactRowsDiffer, "this row differs from the student's first row (\(place)) outside the contact columns; every row of a student must repeat the same student columns")
    case .teachers where teacherSchools[id] != record["School_id"]:
      return say(.teacherTwoSchools, "listed at school \"\(teacherSchools[id] ?? "")\" (\(place)) and again at \"\(record["School_id"])\"; list a teacher once and attach them to the other school's sections in sections.csv")
    default:
      return say(.duplicateID, "\(idColumn) \"\(id)\" is not unique: Clever keeps the first row (\(place)) and drops this one")
    }
  }

  static func fingerprint(_ record: CleverRecord) -> Int {
    var hasher = Hasher()
    for (column, value) in zip(record.file.columns, record.fields) where !column.isContact { hasher.combine(value) }
    for (name, value) in record.extensions { hasher.combine(name.lowercased()); hasher.combine(value) }
    return hasher.finalize()
  }

  func describe(_ file: CleverFile) -> String {
    switch file {
    case .schools: "school"
    case .students: "student"
    case .teachers: "teacher"
    case .sections: "section"
    case .enrollments: "enrollment"
    case .staff: "staff"
    }
  }

  func emit(
    _ code: ValidationCode, _ message: String, file: CleverFile, source: String, line: Int?, id: String, field: String?,
    value: String?
  ) {
    if code.severity == .error {
      reports[file, default: FileReport()].errors += 1
    } else {
      reports[file, default: FileReport()].warnings += 1
    }
    let who = id.isEmpty ? "" : "\(describe(file)) \"\(id)\": "
    report(Diagnostic(code.severity, code.rawValue, who + message, file: source, line: line, recordType: file.recordType,
                      id: id.isEmpty ? nil : id, field: field, value: value))
  }

  /// Reports a finding about a file rather than a record (a missing file or column).
  public func fileFinding(
    _ code: ValidationCode, _ message: String, file: CleverFile, source: String, line: Int? = nil, field: String? = nil
  ) {
    emit(code, message, file: file, source: source, line: line, id: "", field: field, value: nil)
  }

  /// Counts a row that could not be read as a record (a ragged CSV row).
  public func unreadableRow(
    _ code: ValidationCode, _ message: String, file: CleverFile, source: String, line: Int
  ) {
    reports[file, default: FileReport()].rows += 1
    reports[file, default: FileReport()].droppedRows += 1
    emit(code, message, file: file, source: source, line: line, id: "", field: nil, value: nil)
  }

  // MARK: Totals

  public var errorCount: Int { reports.values.reduce(0) { $0 + $1.errors } }
  public var warningCount: Int { reports.values.reduce(0) { $0 + $1.warnings } }
  public var recordCount: Int { reports.values.reduce(0) { $0 + $1.records } }
}
