import CleverFormat
import RecordStream
import RosterRecords

/// What every part of a mapping shares: the options, the reference records seen so far,
/// the summary's counts, and how a warning is told (once per value where findings
/// repeat). The parts (PeopleMapping, SectionMapping, EnrollmentFilter, SchoolMapping)
/// hold no state of their own beyond what they decide.
final class MappingContext {
  let options: MappingOptions
  let inputName: String
  private let report: (Diagnostic) -> Void
  var references = StreamReferences()
  var summary = MappingSummary()
  private var warnedValues = Set<String>()

  init(options: MappingOptions, inputName: String, report: @escaping (Diagnostic) -> Void) {
    self.options = options
    self.inputName = inputName
    self.report = report
  }

  func school(_ id: String, line: Int) throws(RecordError) -> StreamReferences.SchoolEntry {
    try references.school(id, line: line)
  }

  /// The grade of a grade level, warning once per level that maps to nothing.
  func grade(ofClass classId: String, school: String, line: Int) throws(RecordError) -> CleverGrade? {
    if classId.isEmpty { return nil }
    let (level, firstUnmapped) = try references.gradeLevel(classId, school: school, line: line)
    if firstUnmapped {
      let abbreviation = level.gradeLevel.abbreviation
      let key = abbreviation.isEmpty ? level.gradeLevel.name : abbreviation
      report(
        Diagnostic(
          .warning, MappingCode.gradeUnmapped.rawValue,
          "class \"\(level.gradeLevel.name)\" (id \(classId), abbreviation \"\(abbreviation)\") is not a Clever grade: "
            + "its students and sections get Other; to map it, add a line such as '\(key) = 5' to a --grade-map file",
          file: inputName, line: level.line, recordType: "qs.class", id: classId, field: "abbreviation",
          value: abbreviation))
    }
    return level.grade
  }

  // MARK: Warnings and the rules several record types share

  func warn(
    _ code: MappingCode, _ message: String, line: Int, type: String, id: String, field: String? = nil,
    value: String? = nil
  ) {
    report(Diagnostic(.warning, code.rawValue, message, file: inputName, line: line, recordType: type, id: id,
                      field: field, value: value))
  }

  /// Warns once per distinct value for rules whose findings repeat across records.
  func warnOnce(_ code: MappingCode, value: String, _ message: String, line: Int, type: String, id: String) {
    if warnedValues.insert(code.rawValue + "\u{0}" + value).inserted {
      warn(code, message, line: line, type: type, id: id, value: value)
    }
  }

  func name(first: String, last: String, full: String, line: Int, type: String, id: String) -> PersonName {
    let name = PersonName(first: first, last: last, full: full)
    if name.wasSplit {
      warn(.nameSplit, "\(type) \"\(id)\" has only a full name, \"\(full)\": first name \"\(name.first)\", last name \"\(name.last)\"",
           line: line, type: type, id: id, field: "fullName", value: full)
    }
    return name
  }

  func cleanEmail(_ value: String, line: Int, type: String, id: String, field: String) -> String {
    if let email = FieldRules.email(value) { return email }
    warn(.email, "\(type) \"\(id)\": email \"\(value)\" is not a valid address; left out", line: line, type: type,
         id: id, field: field, value: value)
    return ""
  }

  func address(_ clean: String?, _ raw: String, _ field: String, line: Int, type: String, id: String) -> String {
    if let clean { return clean }
    let format = field == "zip" ? "5 or 9 digits" : "a two-letter code"
    warn(.address, "\(type) \"\(id)\": \(field) \"\(raw)\" is not \(format); left out", line: line, type: type, id: id,
         field: field, value: raw)
    return ""
  }
}
