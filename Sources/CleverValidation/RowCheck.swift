import CleverFormat
import RosterRecords

/// A problem with one record's own values.
public struct Finding: Sendable, Equatable {
  public let code: ValidationCode
  public let message: String
  public let field: String?
  public let value: String?
  /// The contact the finding is about (a student's contact row), or nil for the record.
  public let contact: Int?
}

/// The checks of one record against Clever's columns, read from `CleverSpec`: required
/// values, formats and allowed values, contacts, co-teachers. Nothing here knows a
/// column by name except the co-teacher rule.
public enum RowCheck {
  public static func findings(of record: CleverRecord) -> [Finding] {
    var findings: [Finding] = []
    for (column, value) in zip(record.file.columns, record.fields) where !column.isContact {
      if let finding = check(column, value, contact: nil) { findings.append(finding) }
    }
    for (index, contact) in record.contacts.enumerated() {
      guard !contact.isEmpty else { continue }
      for (column, value) in zip(CleverSpec.contactColumns, contact.values) {
        if column.requirement == .requiredWithContact, value.isEmpty {
          findings.append(
            Finding(code: .contactIncomplete, message: "contact \(index + 1) has no \(column.name), which every contact needs",
                    field: column.name, value: nil, contact: index))
        } else if let finding = check(column, value, contact: index) {
          findings.append(finding)
        }
      }
    }
    for (name, value) in record.extensions {
      if let control = ControlCharacter.first(in: value) {
        findings.append(Finding(code: .controlCharacter, message: control.problem(in: name), field: name, value: value,
                                contact: nil))
      }
    }
    if record.file == .sections { findings += coTeacherRepeats(record) }
    return findings
  }

  static func check(_ column: CleverColumn, _ value: String, contact: Int?) -> Finding? {
    let place = contact.map { "contact \($0 + 1): " } ?? ""
    if value.isEmpty || (column.requirement == .required && value.trimmingASCIISpaces().isEmpty) {
      guard column.requirement == .required else { return nil }
      let what = value.isEmpty ? "empty" : "blank"
      return Finding(code: .required, message: "\(place)\(column.name) is \(what); Clever requires it", field: column.name,
                     value: value.isEmpty ? nil : value, contact: contact)
    }
    if let control = ControlCharacter.first(in: value) {
      return Finding(code: .controlCharacter, message: place + control.problem(in: column.name), field: column.name,
                     value: value, contact: contact)
    }
    guard !column.format.accepts(value) else { return nil }
    let (code, expected) = describe(column.format)
    if let documented = DocumentedForm.of(value, column.format) {
      return Finding(code: .documentedForm,
                     message: "\(place)\(column.name) \"\(value)\": Clever documents \(documents(column.format)); "
                       + "write \(documented)",
                     field: column.name, value: value, contact: contact)
    }
    if column.requirement == .required, code == .email {
      // Staff_email, by which Clever knows staff: an unusable one drops the row.
      return Finding(code: .requiredEmail, message: "\(place)\(column.name) \"\(value)\" is not \(expected); Clever requires one",
                     field: column.name, value: value, contact: contact)
    }
    return Finding(code: code, message: "\(place)\(column.name) \"\(value)\" is not \(expected), as Clever documents; "
                     + "no documented form is obvious, so fix it at its source",
                   field: column.name, value: value, contact: contact)
  }

  /// The code for a format and how to say what it wants.
  static func describe(_ format: ValueFormat) -> (ValidationCode, String) {
    switch format {
    case .text: (.required, "text")
    case .grade(let allowsRange):
      (.grade, "a Clever grade (allowed: 1-13, " + CleverGrade.allCases.filter { Int($0.rawValue) == nil }
        .map(\.rawValue).joined(separator: ", ") + (allowsRange ? "; or a range such as 9-12" : "") + ")")
    case .email: (.email, "an email address (local@domain.tld)")
    case .date: (.date, "a real date written MM/DD/YYYY")
    case .phone: (.phone, "10 or 11 digits without punctuation")
    case .zip: (.zip, "5 or 9 digits without punctuation")
    case .state: (.state, "a two-letter state code")
    case .oneOf(let allowed) where allowed.values.count > 12:
      (.enumeration, "one of Clever's \(allowed.values.count) \(allowed.name) names (clever-validate(1) lists them)")
    case .oneOf(let allowed): (.enumeration, "a \(allowed.name) Clever accepts (allowed: \(allowed.values.joined(separator: ", ")))")
    }
  }

  /// What Clever's format documents, said briefly: `M, F or X`, `MM/DD/YYYY`.
  static func documents(_ format: ValueFormat) -> String {
    switch format {
    case .oneOf(let allowed) where allowed.values.count > 12: "its \(allowed.values.count) \(allowed.name) names"
    case .oneOf(let allowed):
      allowed.values.count > 1
        ? allowed.values.dropLast().joined(separator: ", ") + " or " + allowed.values.last! : allowed.values.joined()
    case .date: "MM/DD/YYYY"
    case .phone: "10 or 11 digits without punctuation"
    case .grade: "grade names (Kindergarten, 1-13, ...)"
    default: describe(format).1
    }
  }

  static func coTeacherRepeats(_ record: CleverRecord) -> [Finding] {
    var seen: [String: String] = [:]
    var findings: [Finding] = []
    for column in ["Teacher_id"] + CleverSpec.coTeacherColumns {
      let teacher = record[column]
      if teacher.isEmpty { continue }
      if let first = seen[teacher] {
        findings.append(Finding(code: .duplicateCoTeacher, message: "\(column) repeats teacher \"\(teacher)\" of \(first)",
                                field: column, value: teacher, contact: nil))
      } else {
        seen[teacher] = column
      }
    }
    return findings
  }
}
