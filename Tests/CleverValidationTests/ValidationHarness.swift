import CleverFormat
import CleverValidation
import Foundation
import RecordStream
import Testing
import RosterRecords

// Small valid records to build inputs from: each helper gives a record that passes
// every check on its own; `changes` sets columns (the defect under test).

func record(_ file: CleverFile, _ values: KeyValuePairs<String, String>, _ changes: [String: String]) -> CleverRecord {
  var record = CleverRecord(file)
  for (column, value) in values { record[column] = value }
  for (column, value) in changes { record[column] = value }
  return record
}

func school(_ id: String = "S1", _ changes: [String: String] = [:]) -> CleverRecord {
  record(.schools, ["School_id": id, "School_name": "School \(id)", "School_number": "N-\(id)"], changes)
}

func teacher(_ id: String = "T1", school: String = "S1", _ changes: [String: String] = [:]) -> CleverRecord {
  record(.teachers, ["School_id": school, "Teacher_id": id, "First_name": "Ann", "Last_name": "Lee \(id)"], changes)
}

func student(
  _ id: String = "ST1", school: String = "S1", _ changes: [String: String] = [:], contacts: [CleverContact] = []
) -> CleverRecord {
  var student = record(.students, ["School_id": school, "Student_id": id, "First_name": "Hazel", "Last_name": "Park \(id)"], changes)
  student.contacts = contacts
  return student
}

/// A complete contact (name and type), with `changes`.
func contact(_ name: String = "Laura Park", _ changes: [String: String] = [:]) -> CleverContact {
  var contact: CleverContact = ["Contact_name": name, "Contact_type": "Parent/Guardian"]
  for (column, value) in changes { contact[ColumnName(column)] = value }
  return contact
}

func section(_ id: String = "SE1", teacher: String = "T1", school: String = "S1", _ changes: [String: String] = [:]) -> CleverRecord {
  record(.sections, ["School_id": school, "Section_id": id, "Teacher_id": teacher], changes)
}

func enrollment(section: String = "SE1", student: String = "ST1", school: String = "S1") -> CleverRecord {
  record(.enrollments, ["School_id": school, "Section_id": section, "Student_id": student], [:])
}

func staff(_ id: String = "F1", school: String = "S1", email: String? = nil, _ changes: [String: String] = [:]) -> CleverRecord {
  record(.staff, ["School_id": school, "Staff_id": id, "Staff_email": email ?? "\(id.lowercased())@example.org",
                  "First_name": "Jan", "Last_name": "Doe"], changes)
}

/// A school with one teacher, one section, one student enrolled in it: valid.
func minimalSet(school id: String = "S1") -> [CleverRecord] {
  [school(id), teacher(school: id), student(school: id), section(school: id), enrollment(school: id)]
}

/// One run of `CleverValidator` over records, as clever-validate does over a stream:
/// `check` for each record in order (line = position, 1-based), then `finish`.
struct ValidationRun {
  let diagnostics: [Diagnostic]
  /// Summary lines for people ("... and 5 more rows name school ...").
  let notes: [String]
  let validator: CleverValidator

  init(_ records: [CleverRecord], options: CleverValidator.Options = .init(), source: String = "<stdin>") {
    var found: [Diagnostic] = []
    var notes: [String] = []
    let validator = CleverValidator(options: options) { found.append($0) }
    validator.note = { notes.append($0) }
    for (index, record) in records.enumerated() { validator.check(record, source: source, line: index + 1) }
    validator.finish()
    self.diagnostics = found
    self.notes = notes
    self.validator = validator
  }

  /// The codes found, sorted: a multiset.
  var codes: [String] { diagnostics.map(\.code).sorted() }
  func diagnostics(_ code: ValidationCode) -> [Diagnostic] { diagnostics.filter { $0.code == code.rawValue } }
  func report(_ file: CleverFile) -> FileReport { validator.reports[file] ?? FileReport() }
}

/// A directory of CSV files for one test, removed by `remove()`.
struct CSVDirectory {
  let path: String

  init(_ files: [String: String]) throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("valtests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for (name, text) in files { try write(name, Array(text.utf8)) }
  }

  func write(_ name: String, _ bytes: [UInt8]) throws {
    guard FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes)) else {
      throw CocoaError(.fileWriteUnknown)
    }
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// One run of `CSVSetValidation` over a directory.
struct CSVRun {
  let diagnostics: [Diagnostic]
  let validator: CleverValidator
  let unreadable: Bool

  init(directory: String, options: CleverValidator.Options = .init(rowPerContact: true, placesPerReference: nil)) throws {
    var found: [Diagnostic] = []
    let validator = CleverValidator(options: options) { found.append($0) }
    var csv = CSVSetValidation(validator: validator)
    try csv.validate(directory: directory)
    validator.finish()
    diagnostics = found
    self.validator = validator
    unreadable = csv.unreadable
  }

  init(files: [String], options: CleverValidator.Options = .init(rowPerContact: true, placesPerReference: nil)) throws {
    var found: [Diagnostic] = []
    let validator = CleverValidator(options: options) { found.append($0) }
    var csv = CSVSetValidation(validator: validator)
    try csv.validate(files: files)
    validator.finish()
    diagnostics = found
    self.validator = validator
    unreadable = csv.unreadable
  }

  var codes: [String] { diagnostics.map(\.code).sorted() }
  func report(_ file: CleverFile) -> FileReport { validator.reports[file] ?? FileReport() }
}

/// Codes as the sorted multiset `codes` returns.
func codes(_ list: ValidationCode...) -> [String] { list.map(\.rawValue).sorted() }
func codes(_ list: [ValidationCode]) -> [String] { list.map(\.rawValue).sorted() }

// The same helpers with only the changes (default IDs).
func student(_ changes: [String: String], contacts: [CleverContact] = []) -> CleverRecord {
  student("ST1", changes, contacts: contacts)
}
func section(_ changes: [String: String]) -> CleverRecord { section("SE1", changes) }
func staff(_ changes: [String: String]) -> CleverRecord { staff("F1", changes) }
