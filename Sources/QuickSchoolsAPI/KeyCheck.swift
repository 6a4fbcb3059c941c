import RecordStream
import RosterRecords

/// `qs-extract --check`: each key tried on `/school` (or where the school's identity
/// comes from without it, SchoolIdentity), which says whether the key works and which
/// school it opens.
public enum KeyCheck {
  /// One line per school: "ok   lincolnacademy: Lincoln Academy (300794)" or "FAIL ...".
  public static func run(_ sources: [SchoolSource], options: ExtractOptions, report: @escaping (Diagnostic) -> Void)
    async -> (lines: [String], failure: StageFailure?)
  {
    let policy = options.policy
    var lines: [String] = []
    var failure: StageFailure?
    let limiter = RateLimiterHandle(rate: policy.rate)
    for source in sources {
      let client = APIClient(
        transports: source.transports, policy: policy, limiter: limiter, deadline: .now + .seconds(policy.deadline),
        redactor: Redactor(source.secrets))
      do {
        let object = try await SchoolIdentity(client: client, code: source.code, options: options, report: report).find()
        // Read by APIFields' names, as a run reads it.
        let school = try? RecordBuilder(schoolId: "", gaps: FieldGaps()).school(object, code: source.code)
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
