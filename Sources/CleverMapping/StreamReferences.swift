import CleverFormat
import RosterRecords
import RecordStream

/// A reference record's identity. Grade levels and terms are a school's own: two
/// schools' extracts may both have a class "1". One defined with no schoolId serves
/// every school.
struct ReferenceKey: Hashable {
  enum Kind: UInt8 { case school, gradeLevel, term }
  let kind: Kind
  let school: String
  let id: String

  init(_ kind: Kind, school: String, id: String) {
    self.kind = kind
    self.school = school
    self.id = id
  }
}

/// The reference records a stream has defined so far (schools, grade levels, terms),
/// per school (roster-records(5)): a stream may concatenate several schools' extracts.
/// A reference is late only when a record named it before it came, or when it comes
/// again, differently, after records were mapped with it.
struct StreamReferences {
  struct SchoolEntry {
    var school: QSSchool
    var cleverID: String
    var line: Int
    var span: ClosedRange<CleverGrade>?
    var used = false
  }

  struct GradeLevel {
    let gradeLevel: QSClass
    let line: Int
    let grade: CleverGrade
    let source: GradeMapper.Source
    var warned = false
    var used = false
  }

  private(set) var schools: [String: SchoolEntry] = [:]
  private(set) var schoolOrder: [String] = []
  private var gradeLevels: [ReferenceKey: GradeLevel] = [:]
  private var semesters: [ReferenceKey: QSSemester] = [:]
  /// QuickSchools school ID → the terms whose sections it exports (nil: all), decided at
  /// its first section.
  private var chosenTerms: [String: Set<String>?] = [:]
  /// References that a record named before they were defined, with that record's line.
  private var namedEarly: [ReferenceKey: Int] = [:]
  /// Terms that sections used: redefining one differently would change them.
  private var usedTerms = Set<ReferenceKey>()

  // MARK: Definitions

  private func checkNotLate(_ key: ReferenceKey, _ type: String, id: String, changed: Bool, used: Bool)
    throws(RecordError)
  {
    if let named = namedEarly[key] {
      throw RecordError(
        MappingCode.lateReference.rawValue,
        "\(type) \"\(id)\" comes after line \(named), which named it: a \(type) record must come before any record "
          + "that names it")
    }
    if changed, used {
      throw RecordError(
        MappingCode.lateReference.rawValue,
        "\(type) \"\(id)\" is defined again, differently, after records were mapped with the first definition")
    }
  }

  /// The same school again (one extract appended twice) keeps the grades seen so far.
  mutating func add(_ school: QSSchool, cleverID: () throws(RecordError) -> String, line: Int) throws(RecordError) {
    let before = schools[school.id]
    try checkNotLate(ReferenceKey(.school, school: "", id: school.id), "qs.school", id: school.id,
                     changed: before.map { $0.school != school } ?? false, used: before?.used ?? false)
    let id = try cleverID()
    if before == nil { schoolOrder.append(school.id) }
    schools[school.id] = SchoolEntry(school: school, cleverID: id, line: line, span: before?.span,
                                     used: before?.used ?? false)
  }

  mutating func add(_ gradeLevel: QSClass, grade: (CleverGrade, GradeMapper.Source), line: Int) throws(RecordError) {
    let key = ReferenceKey(.gradeLevel, school: gradeLevel.schoolId, id: gradeLevel.id)
    let before = gradeLevels[key]
    try checkNotLate(key, "qs.class", id: gradeLevel.id, changed: before.map { $0.gradeLevel != gradeLevel } ?? false,
                     used: before?.used ?? false)
    gradeLevels[key] = GradeLevel(gradeLevel: gradeLevel, line: line, grade: grade.0, source: grade.1,
                                  used: before?.used ?? false)
  }

  mutating func add(_ semester: QSSemester) throws(RecordError) {
    let key = ReferenceKey(.term, school: semester.schoolId, id: semester.id)
    try checkNotLate(key, "qs.semester", id: semester.id, changed: semesters[key].map { $0 != semester } ?? false,
                     used: usedTerms.contains(key))
    semesters[key] = semester
  }

  // MARK: Lookups by the records that name them

  private mutating func noteNamedEarly(_ key: ReferenceKey, line: Int) {
    if namedEarly[key] == nil { namedEarly[key] = line }
  }

  /// The school a record names (none: the only school), marked used.
  mutating func school(_ id: String, line: Int) throws(RecordError) -> SchoolEntry {
    let id = id.isEmpty && schoolOrder.count == 1 ? schoolOrder[0] : id
    guard let entry = schools[id] else {
      if !id.isEmpty { noteNamedEarly(ReferenceKey(.school, school: "", id: id), line: line) }
      let what = id.isEmpty ? "record has no schoolId, and the input has \(schoolOrder.count) schools"
        : "school \"\(id)\" is not defined before this record (qs.school records must come first)"
      throw RecordError(MappingCode.unknownSchool.rawValue, what, field: "schoolId")
    }
    if !entry.used { schools[id]!.used = true }
    return entry
  }

  /// A school's own definition, else one defined for no school.
  private func key<Value>(in table: [ReferenceKey: Value], _ kind: ReferenceKey.Kind, school: String, id: String)
    -> ReferenceKey?
  {
    let own = ReferenceKey(kind, school: school, id: id)
    if table[own] != nil { return own }
    let shared = ReferenceKey(kind, school: "", id: id)
    return table[shared] != nil ? shared : nil
  }

  /// The grade level a record names, marked used; `firstUnmapped` is true the first
  /// time one that maps to no Clever grade is named (the caller warns once).
  mutating func gradeLevel(_ classId: String, school: String, line: Int) throws(RecordError)
    -> (level: GradeLevel, firstUnmapped: Bool)
  {
    guard let key = key(in: gradeLevels, .gradeLevel, school: school, id: classId) else {
      noteNamedEarly(ReferenceKey(.gradeLevel, school: school, id: classId), line: line)
      throw RecordError(
        MappingCode.unknownClass.rawValue,
        "class \"\(classId)\" is not defined before this record (qs.class records must come first)", field: "classId")
    }
    var level = gradeLevels[key]!
    let firstUnmapped = level.source == .unmapped && !level.warned
    if !level.used || firstUnmapped {
      level.used = true
      level.warned = level.warned || firstUnmapped
      gradeLevels[key] = level
    }
    return (level, firstUnmapped)
  }

  /// The term a section names, marked used; nil when it names none, or when its school
  /// has no terms at all.
  mutating func term(_ semesterId: String, school: String, line: Int) throws(RecordError) -> QSSemester? {
    if semesterId.isEmpty { return nil }
    if let key = key(in: semesters, .term, school: school, id: semesterId) {
      usedTerms.insert(key)
      return semesters[key]
    }
    guard semesters.keys.contains(where: { $0.school == school || $0.school.isEmpty }) else { return nil }
    noteNamedEarly(ReferenceKey(.term, school: school, id: semesterId), line: line)
    throw RecordError(
      MappingCode.unknownSemester.rawValue,
      "term \"\(semesterId)\" is not defined before this record (qs.semester records must come first)",
      field: "semesterId")
  }

  /// The terms whose sections a school exports: `term` (--term), else the school's
  /// active terms, else (a school with no terms) every section. Decided at the school's
  /// first section, from the terms defined for it (or for no school) by then.
  mutating func termsToKeep(school: String, term: String?) throws -> Set<String>? {
    if let decided = chosenTerms[school] { return decided }
    let own = semesters.filter { $0.key.school == school || $0.key.school.isEmpty }.map(\.value)
    let known = { own.map { "\($0.id) (\($0.name))" }.sorted().joined(separator: ", ") }
    let ofSchool = schoolOrder.count > 1 ? " of school \"\(school)\"" : ""
    let decided: Set<String>?
    if let term {
      let wanted = term.trimmingASCIISpaces().lowercased()
      let matching = own.filter { $0.id.lowercased() == wanted || $0.name.trimmingASCIISpaces().lowercased() == wanted }
      guard !matching.isEmpty else {
        let list = known()
        throw StageFailure(.configuration, code: MappingCode.unknownTerm.rawValue,
                           "--term \"\(term)\" names no term\(ofSchool) in the input (terms: \(list.isEmpty ? "none" : list))")
      }
      decided = Set(matching.map(\.id))
    } else if own.isEmpty {
      decided = nil  // no terms for this school: every section is kept
    } else {
      let active = own.filter(\.active)
      guard !active.isEmpty else {
        throw StageFailure(.dataError, code: MappingCode.noActiveTerm.rawValue,
                           "no term\(ofSchool) is active; choose one with --term (terms: \(known()))")
      }
      decided = Set(active.map(\.id))
    }
    chosenTerms[school] = .some(decided)
    return decided
  }

  /// Widens a school's span of grades (its Low_grade and High_grade).
  mutating func widenSpan(school id: String, with grade: CleverGrade?) {
    guard let grade, grade.isOrdered, var entry = schools[id] else { return }
    entry.span = entry.span.map { min($0.lowerBound, grade)...max($0.upperBound, grade) } ?? grade...grade
    schools[id] = entry
  }
}
