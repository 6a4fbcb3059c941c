import RecordStream
import RosterRecords

/// A school's identity as the user gives it (`--school CODE=ID:NAME`, the profile's
/// `schools`), for an API that has none to give.
public struct GivenSchool: Sendable, Equatable {
  public let code: String
  public let id: String
  public let name: String

  /// Reads `CODE=ID:NAME` (the name may hold colons); nil when a part is missing.
  public init?(_ text: String) {
    guard let equals = text.firstIndex(of: "="), let colon = text[equals...].firstIndex(of: ":") else { return nil }
    code = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
    id = String(text[text.index(after: equals)..<colon]).trimmingCharacters(in: .whitespaces)
    name = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
    if code.isEmpty || id.isEmpty || name.isEmpty { return nil }
  }
}

/// Where a school's ID and name come from. QuickSchools' `/school` is not confirmed, so:
/// the user's `--school` for the code when given (no request); else `/school`; else
/// `/schools`, the school whose code is the key's; else, with `--school-id code`, the
/// code. Each fallback is announced once (W_QS_FALLBACK); with none left the run stops
/// with E_QS_SCHOOL, saying how to give the ID.
struct SchoolIdentity {
  let client: APIClient
  let code: String
  let options: ExtractOptions
  let report: (Diagnostic) -> Void

  /// The object the qs.school record is read from (APIFields.school's names).
  func find() async throws(StageFailure) -> JSONObject {
    if let given = options.givenSchools[code] {
      return JSONObject([("id", .string(given.id)), ("name", .string(given.name))])
    }
    var tried: [String] = []
    if let shape = try await client.getIfPresent(APIRequest(path: "/school")) {
      let items = shape.items
      if items.count == 1, Self.hasID(items[0]) { return items[0] }
      tried.append("GET /school answered \(items.count == 1 ? "a school without \"id\"" : "\(items.count) objects")")
    } else {
      tried.append("GET /school does not exist (HTTP 404)")
    }
    if let shape = try await client.getIfPresent(APIRequest(path: "/schools", page: 1, itemsPerPage: options.policy.itemsPerPage)) {
      let schools = shape.items.filter(Self.hasID)
      let matching = schools.filter { school in
        APIFields.schoolCode.contains { school[$0]?.text?.lowercased() == code.lowercased() }
      }
      if matching.count == 1 {
        announce("\(tried.joined(separator: "; ")): the school's identity comes from GET /schools (code \(code))")
        return matching[0]
      }
      tried.append("GET /schools lists \(schools.count) schools with an ID, \(matching.count) of code \(code)")
    } else {
      tried.append("GET /schools does not exist (HTTP 404)")
    }
    if options.schoolIdFromCode {
      announce("\(tried.joined(separator: "; ")): the school code \(code) serves as its ID and name (--school-id code)")
      return JSONObject([("id", .string(code)), ("name", .string(code))])
    }
    throw StageFailure(
      .configuration, .school,
      "\(code): the API gives no school ID (\(tried.joined(separator: "; "))). Clever's School_id is the school's "
        + "QuickSchools ID: the School_id of the schools.csv QuickSchools' own Clever export sent, or ask QuickSchools "
        + "support. Give it with --school \(code)=ID:NAME (clever-sync: schools = [\"\(code)=ID:NAME\"] under "
        + "[quickschools]), or take the school code as the ID with --school-id code")
  }

  private func announce(_ message: String) {
    report(Diagnostic(.warning, ExtractCode.fallback.rawValue, "\(code): \(message)"))
  }

  private static func hasID(_ object: JSONObject) -> Bool { !(object["id"]?.text ?? "").isEmpty }
}
