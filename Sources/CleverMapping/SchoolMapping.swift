import CleverFormat
import RecordStream
import RosterRecords

/// A school's row, written once everything of the school is mapped: its Low_grade and
/// High_grade are the span of the grades exported.
struct SchoolMapping {
  let context: MappingContext

  func map(_ entry: StreamReferences.SchoolEntry) -> CleverRecord {
    let (school, cleverID, span, line) = (entry.school, entry.cleverID, entry.span, entry.line)
    let type = "qs.school"
    var record = CleverRecord(.schools)
    record[.schoolID] = cleverID
    record[.schoolName] = school.name
    // School_number is required: the school's number, else its code, else its ID.
    record[.schoolNumber] = [school.number, school.code, school.id].first { !$0.isEmpty } ?? ""
    record[.lowGrade] = span?.lowerBound.rawValue ?? ""
    record[.highGrade] = span?.upperBound.rawValue ?? ""
    record[.principal] = school.principalName
    record[.principalEmail] = context.cleanEmail(school.principalEmail, line: line, type: type, id: school.id, field: "principalEmail")
    record[.schoolAddress] = school.street
    record[.schoolCity] = school.city
    record[.schoolState] = context.address(FieldRules.state(school.state), school.state, "state", line: line, type: type, id: school.id)
    record[.schoolZip] = context.address(FieldRules.zip(school.zip), school.zip, "zip", line: line, type: type, id: school.id)
    if school.phone.trimmingASCIISpaces().isEmpty {
    } else if let phone = PhoneRule.digits(school.phone) {
      record[.schoolPhone] = phone
    } else {
      context.warn(.phone, "school \"\(school.id)\": phone \"\(school.phone)\" is not 10 or 11 digits; left out", line: line,
           type: type, id: school.id, field: "phone", value: school.phone)
    }
    return record
  }
}
