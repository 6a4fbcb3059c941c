import CleverFormat

/// Evidence that a stream is whole before its files replace the last good set.
///
/// clever-map writes the schools last, so a stream cut short (an upstream stage that
/// died halfway, with no `pipefail` to notice) names schools it never defines. Writing
/// it would make Clever delete every student past the cut.
public struct StreamCompleteness {
  public private(set) var records = 0

  public init() {}
  private var schools = Set<String>()
  private var referenced: [String: String] = [:]  // School_id → the first record type naming it

  public mutating func note(_ record: CleverRecord) {
    records += 1
    let school = record[.schoolID]
    if record.file == .schools {
      schools.insert(school)
    } else if !school.isEmpty, school != CleverSpec.districtOfficeSchoolID, referenced[school] == nil {
      referenced[school] = record.file.recordType
    }
  }

  public var problem: String? {
    let missing = referenced.keys.filter { !schools.contains($0) }.sorted()
    guard let first = missing.first else { return nil }
    let more = missing.count > 1 ? " (and \(missing.count - 1) more)" : ""
    return "records name School_id \"\(first)\"\(more) but the stream has no clever.school for it: "
      + "was it cut short by an upstream failure?"
  }
}
