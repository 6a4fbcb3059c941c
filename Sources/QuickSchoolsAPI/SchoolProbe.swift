import RecordStream

/// `qs-extract --probe`: what one school's API gives, asked read-only and small (pages of
/// one or two items), step by step, then a verdict: extractable as is, or what is
/// missing and the option or profile key that supplies it.
///
/// `report` holds names, shapes, statuses and counts only: no value from the answers, no
/// name of a person, no key, so a user can attach it to a bug report.
struct SchoolProbe {
  let client: APIClient
  let code: String
  let options: ExtractOptions
  /// A line for standard error.
  let say: (String) -> Void

  static let endpoints = ["/school", "/schools", "/classes", "/semesters", "/teachers", "/students", "/parents", "/sections"]

  /// The object kinds whose fields are checked, and the endpoint their samples come from.
  static let samplesOf = ["class": "/classes", "semester": "/semesters", "teacher": "/teachers", "student": "/students",
                          "section": "/sections"]

  func run() async -> (report: JSONObject, missing: [String]) {
    var report = JSONObject()
    var missing: [String] = []
    var samples: [String: [JSONObject]] = [:]

    // 1. Which endpoints answer, and how.
    var endpoints: [JSONValue] = []
    for path in Self.endpoints {
      let query = path == "/students" ? [(name: "fields", value: APIFields.studentExtraFields.joined(separator: ","))] : []
      let (status, shape, trouble) = await client.look(APIRequest(path: path, query: query, page: 1, itemsPerPage: 2))
      samples[path] = shape?.items ?? []
      var entry = JSONObject([("path", .string(path))])
      entry.append("status", status.map { .number(String($0)) } ?? .null)
      entry.append("shape", .string(shape.map(Self.describe) ?? trouble ?? "none (not a 2xx answer)"))
      entry.append("items", .number(String(shape?.items.count ?? 0)))
      if case .paged(_, _, _, let total?)? = shape { entry.append("numberOfItems", .number(String(total))) }
      endpoints.append(.object(entry))
      let counted = entry["numberOfItems"].map { " of \($0.text ?? "")" } ?? ""
      say("endpoint \(path): \(status.map { "HTTP \($0)" } ?? trouble ?? "no answer")"
          + (shape.map { ", \(Self.describe($0)), items: \($0.items.count)\(counted)" } ?? ""))
    }
    report.append("endpoints", .array(endpoints))

    // 2. The school's identity.
    let identity: String
    if options.givenSchools[code] != nil {
      identity = "--school"
    } else if samples["/school"]?.count == 1, !(samples["/school"]?[0]["id"]?.text ?? "").isEmpty {
      identity = "/school"
    } else if samples["/schools"]?.contains(where: { school in
      APIFields.schoolCode.contains { school[$0]?.text?.lowercased() == code.lowercased() }
    }) == true {
      identity = "/schools"
    } else if options.schoolIdFromCode {
      identity = "the school code (--school-id code)"
    } else {
      identity = "none"
      missing.append("the school's ID: --school CODE=ID:NAME (profile: schools under [quickschools]), or --school-id code")
    }
    say("school identity: \(identity == "none" ? "the API gives none" : "from \(identity)")")
    report.append("schoolIdentity", .string(identity))

    // 3. Guardians: inline on the students, or /parents and how it links to students.
    let guardians: String
    var guardianSamples: [JSONObject] = []
    let students = samples["/students"] ?? []
    if let name = APIFields.studentGuardians.first(where: { name in students.contains { $0[name] != nil } }) {
      guardians = "inline as \(name)"
      for student in students {
        if case .array(let list)? = student[name] { guardianSamples += list.compactMap { if case .object(let o) = $0 { o } else { nil } } }
      }
    } else if let parents = samples["/parents"], !parents.isEmpty,
      let link = GuardianDirectory.linkNames.first(where: { name in parents.contains { $0[name] != nil } })
    {
      guardians = "from /parents, linked by \(link)"
      var directory = GuardianDirectory()
      for parent in parents { try? directory.add(parent) }
      guardianSamples = directory.byStudent.values.flatMap { $0 }
    } else {
      guardians = "none"
    }
    say("guardians: \(guardians == "none" ? "none (students would have no contacts)" : guardians)")
    report.append("guardians", .string(guardians))

    // 4. The fields the mapping needs, under which spelling.
    var fields: [JSONValue] = []
    for (what, table) in FieldNames.tables {
      let objects: [JSONObject]
      switch what {
      case "school": objects = samples["/school"] ?? []
      case "guardian": objects = guardianSamples
      default: objects = samples[Self.samplesOf[what] ?? ""] ?? []
      }
      guard !objects.isEmpty else { continue }
      for field in table {
        let names = options.fieldNames.names(what, field)
        let spelling = names.first { name in objects.contains { $0[name] != nil && $0[name] != .null } }
        var entry = JSONObject([("object", .string(what)), ("field", .string(field.key))])
        entry.append("needed", .bool(field.needed))
        entry.append("spelling", spelling.map { .string($0) } ?? .null)
        fields.append(.object(entry))
        if field.needed {
          say("field \(what).\(field.key): \(spelling.map { "present as \($0)" } ?? "absent (looked for \(names.joined(separator: ", ")))")")
          if spelling == nil {
            missing.append("\(what).\(field.key): if the API has it under another name, --field \(what).\(field.key)=NAME "
                           + "(profile: fields under [quickschools])")
          }
        }
      }
    }
    report.append("fields", .array(fields))

    // 5. Paging: does page 2 move, and with which parameter?
    var paging = JSONObject()
    let first = await client.look(APIRequest(path: "/students", page: 1, itemsPerPage: 1)).shape?.items.first
    if let first {
      var moved: String?
      var single = false
      for name in PagingChoice.parameters {
        let page = await client.look(APIRequest(path: "/students", page: 2, itemsPerPage: 1, pageParameter: name))
        if let item = page.shape?.items.first, item != first {
          moved = name
          break
        }
        if page.shape?.items.isEmpty == true, name == "page" {  // one student: nothing to page
          single = true
          break
        }
      }
      paging.append("parameter", moved.map { .string($0) } ?? .null)
      let none = "no page parameter moved (\(PagingChoice.parameters.joined(separator: ", "))): each listing is read in one request"
      say("paging: \(moved.map { "page 2 moves with \($0)" } ?? (single ? "not observable (one student)" : none))")
    } else {
      paging.append("parameter", .null)
      say("paging: not observable (no students)")
    }
    report.append("paging", .object(paging))

    // 6. Enrollments: the students' own lists, or per section.
    let enrollments: String
    if students.contains(where: { $0[APIFields.studentSectionIds] != nil }) {
      enrollments = "from the students' \(APIFields.studentSectionIds)"
    } else if let section = samples["/sections"]?.first?["id"]?.text, !section.isEmpty {
      let answer = await client.look(APIRequest(path: "/sectionenrollments/\(section)", page: 1, itemsPerPage: 2))
      enrollments = "per section (/sectionenrollments: \(answer.status.map { "HTTP \($0)" } ?? answer.trouble ?? "no answer"))"
    } else {
      enrollments = "not observable (no sections)"
    }
    say("enrollments: \(enrollments)")
    report.append("enrollments", .string(enrollments))

    report.append("verdict", .object(JSONObject([
      ("extractable", .bool(missing.isEmpty)), ("missing", .array(missing.map { .string($0) })),
    ])))
    return (report, missing)
  }

  static func describe(_ shape: ResponseShape) -> String {
    switch shape {
    case .paged(_, _, let pages, let total): pages != nil || total != nil ? "paged object with counts" : "paged object without counts"
    case .array: "array (bare or under success/data)"
    case .single: "single object"
    case .whole: "object holding the list"
    }
  }
}
