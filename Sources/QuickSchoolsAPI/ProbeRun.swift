import Foundation
import RecordStream

/// `qs-extract --probe` over every key: each school's findings on standard error, a
/// verdict per school, and the JSON of `--probe-report` (SchoolProbe says what it holds).
public enum ProbeRun {
  public static func run(_ sources: [SchoolSource], options: ExtractOptions, say: @escaping (String) -> Void)
    async -> (report: JSONObject, failure: StageFailure?)
  {
    let limiter = RateLimiterHandle(rate: options.policy.rate)
    var schools: [JSONValue] = []
    var failure: StageFailure?
    for (index, source) in sources.enumerated() {
      let client = APIClient(
        transports: source.transports, policy: options.policy, limiter: limiter,
        deadline: .now + .seconds(options.policy.deadline), redactor: Redactor(source.secrets))
      say("probe \(source.code):")
      let probe = SchoolProbe(client: client, code: source.code, options: options, say: { say("  " + $0) })
      var (report, missing) = await probe.run()
      report = JSONObject([("school", .number(String(index + 1)))] + report.members)
      schools.append(.object(report))
      if missing.isEmpty {
        say("verdict \(source.code): this school can be extracted as is")
      } else {
        say("verdict \(source.code): \(missing.count) thing\(missing.count == 1 ? "" : "s") to supply:")
        for item in missing { say("  - \(item)") }
        failure = failure ?? StageFailure(
          .configuration, .probe, "\(source.code): the probe found \(missing.count) thing\(missing.count == 1 ? "" : "s") "
            + "to supply before an extract (listed above)")
      }
    }
    let report = JSONObject([
      ("format", .string("qs-extract-probe")), ("version", .number("1")), ("schools", .array(schools)),
    ])
    return (report, failure)
  }

  /// Writes the report to `path`, mode 0600, whole or not at all.
  public static func write(_ report: JSONObject, to path: String) throws(StageFailure) {
    var bytes: [UInt8] = []
    JSONWriter.append(.object(report), to: &bytes)
    bytes.append(0x0A)
    let temporary = path + ".partial"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]),
      rename(temporary, path) == 0
    else {
      unlink(temporary)
      throw StageFailure(.cannotCreate, code: "E_QS_SAVE", "cannot write the probe report \(path)")
    }
  }
}
