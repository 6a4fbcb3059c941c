import Foundation
import RecordStream
import RosterRecords

/// What to read of each school.
public struct ExtractOptions: Sendable {
  /// The term whose sections are read (ID or name); nil means the active one.
  public var term: String?
  /// Also read students who have left or were deleted (their flags say so).
  public var includeInactive = false
  public var policy = RequestPolicy()
  /// Schools' identities given by the user, by code, for an API that has none.
  public var givenSchools: [String: GivenSchool] = [:]
  /// With no ID from the API nor the user, the school code serves as the school's ID
  /// (`--school-id code`, as clever-map's).
  public var schoolIdFromCode = false
  /// The user's own spellings of fields (`--field`).
  public var fieldNames = FieldNames()
  /// Page parameters known from a saved dump's manifest, by school code.
  public var pageParameters: [String: String] = [:]

  public init() {}
}

/// One school's records, read in the order of records.md: first the reference records
/// (the school, its grade levels and terms), then teachers, students, sections and
/// enrollments. Students stream a page at a time; only sections' IDs are held.
struct SchoolExtraction {
  let client: APIClient
  let code: String
  let options: ExtractOptions
  /// How this school's API pages, found on the way (PagingChoice).
  let paging: PagingChoice
  let gaps = FieldGaps()
  /// Called as each resource starts, for the progress line.
  let phase: (String) -> Void
  let report: (Diagnostic) -> Void

  /// What the second half of the extract needs from the first.
  struct References {
    let builder: RecordBuilder
    let semesterId: String
    /// The term read is the active one: the students' own section lists are of it.
    let termIsActive: Bool
  }

  /// The school, its grade levels and its terms: small, and needed before anything
  /// that names them, so a run reads every school's first.
  func references(emit: (JSONObject) throws -> Void) async throws -> References {
    let walker = PageWalker(client: client, paging: paging)
    let perPage = options.policy.itemsPerPage

    phase("school")
    let schoolObject = try await SchoolIdentity(client: client, code: code, options: options, report: report).find()
    let school = try shaped("/school") {
      try RecordBuilder(schoolId: "", gaps: gaps, fieldNames: options.fieldNames).school(schoolObject, code: code)
    }
    let schoolId = school["id"]?.text ?? ""
    let builder = RecordBuilder(schoolId: schoolId, gaps: gaps, fieldNames: options.fieldNames)
    try emit(school)

    try await listing("/classes", "classes", walker, perPage) { object in
      try emit(builder.gradeLevel(object))
    }

    var semesters: [JSONObject] = []
    try await listing("/semesters", "semesters", walker, perPage) { object in
      semesters.append(try builder.semester(object))
    }
    for semester in semesters { try emit(semester) }
    let semesterId = try chooseTerm(semesters)
    let active = semesters.first { $0["id"]?.text == semesterId }?["active"] == .bool(true)
    return References(builder: builder, semesterId: semesterId, termIsActive: active)
  }

  /// Teachers, students, sections of the chosen term and their enrollments.
  func roster(_ references: References, emit: (JSONObject) throws -> Void) async throws {
    let walker = PageWalker(client: client, paging: paging)
    let perPage = options.policy.itemsPerPage
    let builder = references.builder
    let semesterId = references.semesterId

    try await listing("/teachers", "teachers", walker, perPage) { object in
      try emit(builder.teacher(object))
    }

    let show = options.includeInactive ? "true" : "false"
    let students = [
      ("fields", (APIFields.studentExtraFields + options.fieldNames.own("student")).joined(separator: ",")),
      ("showHasLeft", show), ("showDeleted", show),
    ]
    var studentSections = StudentSections()
    var directory: GuardianDirectory?
    var firstPage = true
    phase("students")
    let request = APIRequest(path: "/students", query: students.map { (name: $0.0, value: $0.1) }, page: 1,
                             itemsPerPage: perPage)
    try await walker.walk(request) { items in
      // Guardians inline on the students, else from /parents, decided on the first page.
      if firstPage, !items.isEmpty {
        firstPage = false
        if !items.contains(where: { object in APIFields.studentGuardians.contains { object[$0] != nil } }) {
          directory = try await parents(walker, perPage)
        }
      }
      for object in items {
        try shaped("/students") {
          let student = try builder.student(object, directory: directory)
          try studentSections.note(studentId: student["id"]?.text ?? "", object)
          try emit(student)
        }
      }
    }

    var sectionIds: [String] = []
    try await listing("/sections", "sections", walker, perPage, query: [("semesterId", semesterId)]) {
      object in
      let section = try builder.section(object, semesterId: semesterId)
      sectionIds.append(section["id"]?.text ?? "")
      try emit(section)
    }

    phase("enrollments")
    if references.termIsActive, studentSections.isComplete {
      try emitEnrollments(of: sectionIds, from: studentSections, builder: builder, emit: emit)
      return
    }
    try await SectionEnrollments(client: client, paging: paging, perPage: perPage,
                                 concurrency: options.policy.concurrency)
      .each(sectionIds) { sectionId, students in
        for student in students {
          try emit(try shaped("/sectionenrollments/\(sectionId)") { try builder.enrollment(student, sectionId: sectionId) })
        }
      }
  }

  /// The guardians of `/parents`, for students that do not carry them; nil (and the
  /// students go without) when the API has no such listing. Said once either way.
  private func parents(_ walker: PageWalker, _ perPage: Int) async throws -> GuardianDirectory? {
    phase("parents")
    var directory = GuardianDirectory()
    let request = APIRequest(path: "/parents", page: 1, itemsPerPage: perPage)
    guard try await client.getIfPresent(request.page(1, itemsPerPage: 1)) != nil else {
      report(Diagnostic(.warning, ExtractCode.fallback.rawValue,
                        "\(code): the students carry no parents or guardians and GET /parents does not exist (HTTP 404): "
                          + "no contacts are read (W_QS_MISSING_FIELD counts the students)"))
      return nil
    }
    try await walker.walk(request) { items in
      for object in items { try shaped("/parents") { try directory.add(object) } }
    }
    report(Diagnostic(.warning, ExtractCode.fallback.rawValue,
                      "\(code): the students carry no parents or guardians; they come from GET /parents "
                        + "(\(directory.parents) parents linked to students \(directory.links) times, held until the "
                        + "students are read, about \(max(1, directory.links / 2)) KB)"))
    phase("students")
    return directory
  }

  /// The enrollments from the students' own lists, section by section in the order the
  /// sections came, each section's students in the order of /students. IDs of sections
  /// not of this term are left out, and said.
  private func emitEnrollments(of sectionIds: [String], from lists: StudentSections, builder: RecordBuilder,
                               emit: (JSONObject) throws -> Void) throws {
    for sectionId in sectionIds {
      for studentId in lists.bySection[sectionId] ?? [] {
        try emit(builder.enrollment(studentId: studentId, sectionId: sectionId))
      }
    }
    let known = Set(sectionIds)
    let stray = lists.bySection.filter { !known.contains($0.key) }
    if !stray.isEmpty {
      let count = stray.values.reduce(0) { $0 + $1.count }
      report(Diagnostic(
        .warning, ExtractCode.odd.rawValue,
        "\(code): \(count) enrollments in the students' \(APIFields.studentSectionIds) name \(stray.count) sections "
          + "that /sections does not list for this term (the first: \(stray.keys.sorted()[0])); they are left out"))
    }
  }

  /// The fields that were missing, once each; also after a failure, so the user learns
  /// what the responses lacked before it.
  func reportGaps() {
    for diagnostic in gaps.diagnostics(endpointOf: Self.endpoint) { report(diagnostic) }
  }

  /// Walks `path` and hands each object to `body`; a shape problem names the endpoint.
  private func listing(
    _ path: String, _ resource: String, _ walker: PageWalker, _ perPage: Int, query: [(String, String)] = [],
    _ body: (JSONObject) throws -> Void
  ) async throws {
    phase(resource)
    let request = APIRequest(path: path, query: query.map { (name: $0.0, value: $0.1) }, page: 1, itemsPerPage: perPage)
    try await walker.walk(request) { items in
      for object in items { try shaped(path) { try body(object) } }
    }
  }

  private func shaped<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let problem as ShapeProblem {
      throw StageFailure(.protocolError, .shape, "GET \(path) (\(code)): \(problem.reason)")
    }
  }

  /// The term whose sections are read: --term (ID or name), else the active one.
  private func chooseTerm(_ semesters: [JSONObject]) throws(StageFailure) -> String {
    let names = semesters.map { "\($0["name"]?.text ?? "") (\($0["id"]?.text ?? ""))" }.joined(separator: ", ")
    if let term = options.term {
      // As clever-map --term: without regard to case or surrounding spaces.
      let wanted = term.trimmingCharacters(in: .whitespaces).lowercased()
      guard
        let match = semesters.first(where: { $0["id"]?.text?.lowercased() == wanted })
          ?? semesters.first(where: { $0["name"]?.text?.trimmingCharacters(in: .whitespaces).lowercased() == wanted })
      else {
        throw StageFailure(.configuration, .term, "\(code): no term is \"\(term)\"; the terms are: \(names)")
      }
      return match["id"]?.text ?? ""
    }
    let active = semesters.filter { $0["active"] == .bool(true) }
    guard let first = active.first else {
      throw StageFailure(.configuration, .term, "\(code): no term is active; choose one with --term (terms: \(names))")
    }
    if active.count > 1 {
      report(Diagnostic(
        .warning, ExtractCode.odd.rawValue,
        "\(code): \(active.count) terms are active; reading the sections of the first, \(first["name"]?.text ?? "") "
          + "(\(first["id"]?.text ?? "")); choose another with --term"))
    }
    return first["id"]?.text ?? ""
  }

  static func endpoint(_ what: String) -> String {
    switch what {
    case "class": "GET /classes"
    case "semester": "GET /semesters"
    case "teacher": "GET /teachers"
    case "student", "guardian": "GET /students"
    case "section": "GET /sections"
    case "enrollment": "GET /sectionenrollments"
    default: "GET /school"
    }
  }
}

