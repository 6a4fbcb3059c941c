import RecordStream

/// Guardians read from `/parents` for an API whose students do not carry them inline:
/// each parent once (siblings share one), with the students it belongs to, under
/// `students` (or `studentIds`, `children`), as objects with an ID and what is said of
/// that link (relationship, flags), or as bare IDs. The link's fields go over the
/// parent's, so each student gets the guardian as its own profile would show it.
///
/// Held by student until the students are read: one small object per link, about half
/// a kilobyte (a guardian's dozen short fields), at most `maximumLinks` of them (about
/// 250 MB), past which the run stops rather than grow without bound.
struct GuardianDirectory {
  static let linkNames = ["students", "studentIds", "children"]
  static let linkID = ["id", "studentId", "smsStudentStubId"]
  static let maximumLinks = 500_000

  private(set) var byStudent: [String: [JSONObject]] = [:]
  private(set) var parents = 0
  private(set) var links = 0

  /// Adds one parent object of the listing.
  mutating func add(_ parent: JSONObject) throws(ShapeProblem) {
    parents += 1
    let id = parent["id"]?.text ?? ""
    guard let name = Self.linkNames.first(where: { parent[$0] != nil }) else {
      throw ShapeProblem("parent \(id): no \(Self.linkNames.map { "\"\($0)\"" }.joined(separator: " or ")) to link it to students")
    }
    guard case .array(let list)? = parent[name] else { throw ShapeProblem("parent \(id): \"\(name)\" is not an array") }
    var base = parent
    base[name] = nil
    for item in list {
      var guardian = base
      let studentId: String?
      if case .object(let link) = item {
        studentId = Self.linkID.lazy.compactMap { link[$0]?.text }.first { !$0.isEmpty }
        for (key, value) in link where !Self.linkID.contains(key) { guardian[key] = value }
      } else {
        studentId = item.text
      }
      guard let studentId, !studentId.isEmpty else { throw ShapeProblem("parent \(id): a linked student without an ID") }
      byStudent[studentId, default: []].append(guardian)
      links += 1
      if links > Self.maximumLinks {
        throw ShapeProblem("/parents links more than \(Self.maximumLinks) guardians to students: too many to hold")
      }
    }
  }

  func guardians(of studentId: String) -> [JSONObject] { byStudent[studentId] ?? [] }
}
