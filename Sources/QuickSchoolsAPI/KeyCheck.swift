import RecordStream

/// `qs-extract --check`: each key tried on `/school`, the one request that says
/// whether the key works and which school it opens.
public enum KeyCheck {
  /// One line per school: "ok   lincolnacademy: Lincoln Academy (300794)" or "FAIL ...".
  public static func run(_ sources: [SchoolSource], policy: RequestPolicy) async -> (lines: [String], failure: StageFailure?) {
    var lines: [String] = []
    var failure: StageFailure?
    let limiter = RateLimiterHandle(rate: policy.rate)
    for source in sources {
      let client = APIClient(
        transports: source.transports, policy: policy, limiter: limiter, deadline: .now + .seconds(policy.deadline),
        redactor: Redactor(source.secrets))
      do {
        let shape = try await client.get(APIRequest(path: "/school"))
        // Read by APIFields' names, as a run reads it.
        let school = shape.items.first.flatMap { try? RecordBuilder(schoolId: "", gaps: FieldGaps()).school($0, code: source.code) }
        let name = school?["name"]?.text ?? ""
        lines.append("ok   \(source.code): \(name.isEmpty ? "?" : name) (\(school?["id"]?.text ?? "no id"))")
      } catch {
        lines.append("FAIL \(source.code): [\(error.code)] \(error.message)")
        failure = failure ?? error
      }
    }
    return (lines, failure)
  }
}
