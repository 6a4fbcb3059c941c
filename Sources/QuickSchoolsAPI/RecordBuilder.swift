import RecordStream

/// Turns the API's objects into `qs.*` records (records.md), by the names of APIFields,
/// tagged with their school's ID.
struct RecordBuilder {
  let schoolId: String
  let gaps: FieldGaps
  var fieldNames = FieldNames()

  func school(_ object: JSONObject, code: String) throws(ShapeProblem) -> JSONObject {
    var record = JSONObject([("type", .string("qs.school"))])
    try fill(&record, from: object, fields: APIFields.school, what: "school", required: "id", then: ("code", .string(code)))
    return record
  }

  func gradeLevel(_ object: JSONObject) throws(ShapeProblem) -> JSONObject {
    try tagged("qs.class", object, APIFields.gradeLevel, what: "class")
  }

  func semester(_ object: JSONObject) throws(ShapeProblem) -> JSONObject {
    try tagged("qs.semester", object, APIFields.semester, what: "semester")
  }

  func teacher(_ object: JSONObject) throws(ShapeProblem) -> JSONObject {
    try tagged("qs.teacher", object, APIFields.teacher, what: "teacher")
  }

  /// A student, with its guardians inline or, for an API without them, from `directory`.
  func student(_ object: JSONObject, directory: GuardianDirectory? = nil) throws(ShapeProblem) -> JSONObject {
    var record = try tagged("qs.student", object, APIFields.student, what: "student")
    let id = record["id"]?.text ?? ""
    var guardians: [JSONValue] = []
    if let name = APIFields.studentGuardians.first(where: { object[$0] != nil }) {
      switch object[name] {
      case .array(let list)?:
        for item in list {
          guard case .object(let parent) = item else {
            throw ShapeProblem("student \(id): an item of \"\(name)\" is \(item.kindName), not an object")
          }
          guardians.append(try guardian(parent))
        }
      case .null?: break
      default: throw ShapeProblem("student \(id): \"\(name)\" is not an array")
      }
    } else if let directory {
      for parent in directory.guardians(of: id) { guardians.append(try guardian(parent)) }
    } else {
      gaps.note("student", key: "guardians", names: APIFields.studentGuardians, id: id)
    }
    record["guardians"] = .array(guardians)
    return record
  }

  private func guardian(_ parent: JSONObject) throws(ShapeProblem) -> JSONValue {
    var guardian = JSONObject()
    try fill(&guardian, from: parent, fields: APIFields.guardian, what: "guardian", required: nil)
    return .object(guardian)
  }

  func section(_ object: JSONObject, semesterId: String) throws(ShapeProblem) -> JSONObject {
    var record = try tagged("qs.section", object, APIFields.section, what: "section")
    let id = record["id"]?.text ?? ""
    record["semesterId"] = .string(object["semesterId"]?.text.flatMap { $0.isEmpty ? nil : $0 } ?? semesterId)
    var teacherIds: [JSONValue] = []
    if let name = APIFields.sectionTeachers.first(where: { object[$0] != nil }), case .array(let list)? = object[name] {
      for item in list {
        // A teacher is an object with an ID; a bare ID is accepted too.
        if case .object(let teacher) = item, let key = APIFields.sectionTeacherID.first(where: { teacher[$0] != nil }),
          let text = teacher[key]?.text, !text.isEmpty
        {
          teacherIds.append(.string(text))
        } else if let text = item.text, !text.isEmpty {
          teacherIds.append(.string(text))
        } else {
          throw ShapeProblem("section \(id): a linked teacher without an ID")
        }
      }
    } else {
      gaps.note("section", key: "teacherIds", names: APIFields.sectionTeachers, id: id)
    }
    record["teacherIds"] = .array(teacherIds)
    return record
  }

  func enrollment(_ object: JSONObject, sectionId: String) throws(ShapeProblem) -> JSONObject {
    guard let key = APIFields.enrolledStudentID.first(where: { object[$0] != nil }),
      let studentId = object[key]?.text, !studentId.isEmpty
    else {
      throw ShapeProblem("section \(sectionId): an enrolled student without \"\(APIFields.enrolledStudentID[0])\"")
    }
    return enrollment(studentId: studentId, sectionId: sectionId)
  }

  func enrollment(studentId: String, sectionId: String) -> JSONObject {
    gaps.count("enrollment")
    return JSONObject([
      ("type", .string("qs.enrollment")), ("schoolId", .string(schoolId)), ("sectionId", .string(sectionId)),
      ("studentId", .string(studentId)),
    ])
  }

  /// A record of `type` with its `id` first and then `schoolId`.
  private func tagged(_ type: String, _ object: JSONObject, _ fields: [APIField], what: String) throws(ShapeProblem)
    -> JSONObject
  {
    var record = JSONObject([("type", .string(type))])
    try fill(&record, from: object, fields: fields, what: what, required: "id", then: ("schoolId", .string(schoolId)))
    return record
  }

  /// Copies `fields` from `object`, in their order; `then` goes right after the first
  /// field (the ID), so records read type, id, schoolId... A missing needed field is
  /// noted, a missing `required` one (the ID) is a shape error.
  private func fill(
    _ record: inout JSONObject, from object: JSONObject, fields: [APIField], what: String, required: String?,
    then tag: (key: String, value: JSONValue)? = nil
  ) throws(ShapeProblem) {
    gaps.count(what)
    let id = object["id"]?.text ?? ""
    if let required, id.isEmpty { throw ShapeProblem("a \(what) without \"\(required)\"") }
    for (index, field) in fields.enumerated() {
      if index == 1, let tag { record.append(tag.key, tag.value) }
      let names = fieldNames.names(what, field)
      let value = names.lazy.compactMap { object[$0] }.first
      if value == nil || value == .null, field.needed {
        gaps.note(what, key: field.key, names: names, id: id)
      }
      switch field.kind {
      case .text:
        guard let text = (value ?? .null).text else {
          throw ShapeProblem("\(what) \(id): \"\(names[0])\" is \(value!.kindName), not a value")
        }
        record.append(field.key, .string(text))
      case .flag:
        guard let flag = Self.flag(value ?? .null) else {
          throw ShapeProblem("\(what) \(id): \"\(names[0])\" is not true or false")
        }
        record.append(field.key, .bool(flag))
      }
    }
  }

  /// Booleans as the API may spell them: true, "true", "yes", 1, "1" (and their opposites).
  static func flag(_ value: JSONValue) -> Bool? {
    switch value {
    case .bool(let b): return b
    case .null: return false
    case .number(let n): return n == "0" ? false : (n == "1" ? true : nil)
    case .string(let s):
      switch s.lowercased() {
      case "true", "yes", "y", "1": return true
      case "false", "no", "n", "0", "": return false
      default: return nil
      }
    default: return nil
    }
  }
}
