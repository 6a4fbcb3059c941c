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
  /// Enrollments naming each section, for the empty-section check.
  var sectionEnrollments: [String: Int] = [:]
  var sources: [String] = []
  private var sourceIndexes: [String: UInt16] = [:]
  var schoolNames: [String] = []
  private var schoolIndexes: [String: UInt16] = [:]
  var uniqueness: UniquenessIndex
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
    uniqueness = UniquenessIndex(rowPerContact: options.rowPerContact)
    waitingForSchool = ReferenceBook(keep: options.placesPerReference ?? Int.max)
    // Rows waiting on a teacher, student or section are few (a stream out of order)
    // and all are kept: each must be judged, and the rows that name it after it.
    for file in [CleverFile.teachers, .sections, .students] { waitingFor[file] = ReferenceBook(keep: Int.max) }
  }

  // MARK: One record

  /// Checks one record; `source` and `line` name where it came from: its own values,
  /// then uniqueness, then the rows it names (ReferenceResolution.swift), then what later
  /// rows need to know of it.
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

    // Uniqueness. A repeated ID, or a staff email another staff member has: Clever keeps
    // the first row, so this one is dropped and not recorded.
    if let idColumn = file.idColumn, !id.isEmpty,
      let duplicate = uniqueness.duplicate(record, id: id, idColumn: idColumn, first: seen[file.ordinal][id].map { first in
        { "\(self.sources[Int(first.source)]):\(first.line)" }
      })
    {
      say(duplicate.code, duplicate.message, duplicate.field, duplicate.value)
      reports[file, default: FileReport()].droppedRows += rows
      return
    }
    for conflict in uniqueness.conflicts(record, id: id) {
      say(conflict.code, conflict.message, conflict.field, conflict.value)
      if conflict.code == .duplicateEmail {
        reports[file, default: FileReport()].droppedRows += rows
        return
      }
      if reason == nil { reason = "[\(conflict.code.rawValue)] \(conflict.field ?? "") \"\(conflict.value ?? "")\" is not unique" }
      dropped = rows
    }

    // The rows it names.
    let school = record[.schoolID]
    let waits = resolveReferences(of: record, id: id, school: school, source: source, line: line, rows: rows,
                                  reason: &reason, say: say)
    if reason != nil { dropped = rows }
    reports[file, default: FileReport()].droppedRows += dropped

    // What later rows need to know about this one.
    if file == .enrollments, reason == nil {
      sectionEnrollments[record[.sectionID], default: 0] += 1
    }
    guard file.idColumn != nil, !id.isEmpty else { return }
    if file == .staff {
      uniqueness.remember(record, id: id)
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
      school: intern(school, in: &schoolNames, &schoolIndexes), valid: reason == nil, waiting: waits && reason == nil)
    if let reason { reasons[file.ordinal][id] = reason }
    uniqueness.remember(record, id: id)
  }

  /// A small number for a string that many rows share (an input's name, a school ID).
  private func intern(_ text: String, in table: inout [String], _ indexes: inout [String: UInt16]) -> UInt16 {
    if let index = indexes[text] { return index }
    let index = UInt16(clamping: table.count)
    table.append(text)
    indexes[text] = index
    return index
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

  func emit(
    _ code: ValidationCode, _ message: String, file: CleverFile, source: String, line: Int?, id: String, field: String?,
    value: String?
  ) {
    if code.severity == .error {
      reports[file, default: FileReport()].errors += 1
    } else {
      reports[file, default: FileReport()].warnings += 1
    }
    let who = id.isEmpty ? "" : "\(file.noun) \"\(id)\": "
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
