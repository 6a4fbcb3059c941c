import RecordStream
import RosterRecords

/// Where one school's answers come from.
public struct SchoolSource: Sendable {
  public let code: String
  /// The main host first, then the backup.
  public let transports: [any APITransport]
  public let recorder: DumpRecorder?
  /// What to strike from messages (the school's key).
  public let secrets: [String]

  public init(code: String, transports: [any APITransport], recorder: DumpRecorder? = nil, secrets: [String] = []) {
    self.code = code
    self.transports = transports
    self.recorder = recorder
    self.secrets = secrets
  }
}

/// What a run did, for the closing line.
public struct ExtractSummary: Sendable {
  public var counts: [(type: String, count: Int)] = []
  public var schools = 0
  public var requests = 0
  public var retries = 0
  /// The page parameter of each school whose API ignores `page`, by code.
  public var pageParameters: [String: String] = [:]

  public init() {}

  mutating func count(_ type: String) {
    if let index = counts.firstIndex(where: { $0.type == type }) {
      counts[index].count += 1
    } else {
      counts.append((type, 1))
    }
  }

  public var records: Int { counts.reduce(0) { $0 + $1.count } }

  mutating func add(_ client: APIClient) async {
    requests += await client.requests
    retries += await client.retries
  }
}

/// A whole extract: every school in turn, between an opening and a closing `extract`
/// record. The closing one is written only when every school was read whole, so a run
/// that failed leaves a stream that clever-map refuses to take for complete.
public struct ExtractRun {
  public let sources: [SchoolSource]
  public let options: ExtractOptions
  public let origin: String  // "api" or "dump"

  public init(sources: [SchoolSource], options: ExtractOptions, origin: String) {
    self.sources = sources
    self.options = options
    self.origin = origin
  }

  /// Runs it; `summary` is kept up to date even when the run fails, for the closing line.
  public func run(
    summary: inout ExtractSummary, emit: (JSONObject) throws -> Void, phase: @escaping (String, String) -> Void,
    onRequest: @escaping @Sendable (APIRequest) -> Void, report: @escaping (Diagnostic) -> Void
  ) async throws {
    let limiter = RateLimiterHandle(rate: options.policy.rate)
    let deadline = ContinuousClock.now + .seconds(options.policy.deadline)
    let schools = sources.map(\.code)
    try emit(ExtractRecord(status: .started, source: origin, schools: schools).object)
    var extractions: [(SchoolExtraction, APIClient)] = []
    for source in sources {
      let client = APIClient(
        transports: source.transports, policy: options.policy, limiter: limiter, deadline: deadline,
        recorder: source.recorder, redactor: Redactor(source.secrets), onRequest: onRequest)
      extractions.append(
        (SchoolExtraction(client: client, code: source.code, options: options,
                          paging: PagingChoice(code: source.code, parameter: options.pageParameters[source.code] ?? "page",
                                               report: report),
                          phase: { phase(source.code, $0) },
                          report: report), client))
    }
    // RecordBuilder writes each record's keys in the contract's order, so what goes out
    // is what QSRecord's encoder writes (ContractTests holds the two together on whole
    // runs); decoding and encoding every record again here cost a third more CPU.
    func emitCounted(_ record: JSONObject) throws {
      summary.count(record["type"]?.text ?? "")
      try emit(record)
    }
    // Every school's reference records first (records.md), then each roster in turn.
    var references: [SchoolExtraction.References] = []
    defer {
      for (extraction, _) in extractions { extraction.reportGaps() }
    }
    do {
      for (extraction, _) in extractions { references.append(try await extraction.references(emit: emitCounted)) }
      for (index, (extraction, _)) in extractions.enumerated() {
        try await extraction.roster(references[index], emit: emitCounted)
        summary.schools += 1
      }
    } catch {
      for (_, client) in extractions { await summary.add(client) }
      throw error
    }
    for (_, client) in extractions { await summary.add(client) }
    for (extraction, _) in extractions where extraction.paging.parameter != "page" {
      summary.pageParameters[extraction.code] = extraction.paging.parameter
    }
    try emit(ExtractRecord(status: .complete, source: origin, schools: schools,
                           records: summary.counts.map { ($0.type, $0.count) }).object)
  }
}
