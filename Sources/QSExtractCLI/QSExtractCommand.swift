#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import Foundation
import QuickSchoolsAPI
import RecordStream

/// `qs-extract`: a school's roster from the QuickSchools API (or a saved dump) as `qs.*`
/// records on stdout.
public struct QSExtractCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "qs-extract",
    abstract: "Read schools' rosters from the QuickSchools API and write QuickSchools records (qs.*).",
    discussion: """
      The API key comes from QS_API_KEY or --api-key-file (one key per school; several \
      keys read several schools), never from the command line. Records go to standard \
      output; progress, warnings and the closing summary go to standard error. \
      See qs-extract(1) and roster-records(5).
      """,
    version: ToolVersion.current)

  @Option(name: .long, help: ArgumentHelp("Read the API keys from this file (mode 0600): one per school, on lines or separated by spaces.", valueName: "file"))
  var apiKeyFile: String?

  @Option(name: .long, help: ArgumentHelp("The API's base URL, the same for every school's key.", valueName: "url"))
  var baseURL = APIHosts.main

  @Option(
    name: .long,
    help: ArgumentHelp("A second host to try when the first does not answer, e.g. \(APIHosts.backup).", valueName: "url"))
  var backupURL: String?

  @Option(name: .long, help: ArgumentHelp("Read the sections of this term (ID or name) instead of the active one.", valueName: "term"))
  var term: String?

  @Flag(name: .long, help: "Also read students who have left or were deleted (clever-map leaves them out).")
  var includeInactive = false

  @Option(name: .long, help: ArgumentHelp("Keep every raw response in this new folder, to replay with --from.", valueName: "dir"))
  var save: String?

  @Option(name: .long, help: ArgumentHelp("Replay a dump saved with --save: no network, no key.", valueName: "dir"))
  var from: String?

  @Option(name: .long, help: ArgumentHelp("Requests per second at most; 0 means no limit.", valueName: "n"))
  var rate: Double = RequestPolicy().rate

  @Option(name: .long, help: ArgumentHelp("Section enrollment requests in flight at once.", valueName: "n"))
  var concurrency = RequestPolicy().concurrency

  @Option(name: .long, help: ArgumentHelp("Retries of a request after a timeout, 429, 5xx or a failed connection.", valueName: "n"))
  var retries = RequestPolicy().retries

  @Option(name: .long, help: ArgumentHelp("Seconds one request may take.", valueName: "seconds"))
  var timeout: Double = RequestPolicy().timeout

  @Option(name: .long, help: ArgumentHelp("Seconds the whole run may take.", valueName: "seconds"))
  var deadline: Double = RequestPolicy().deadline

  @Option(name: .long, help: ArgumentHelp("Items per page asked of the API (1 to 1000).", valueName: "n"))
  var itemsPerPage: Int?

  @Option(name: .customLong("school"), help: ArgumentHelp("For an API that gives no school: the ID and name of a key's school, CODE=ID:NAME; repeatable.", valueName: "code=id:name"))
  var schools: [String] = []

  @Option(name: .long, help: ArgumentHelp("With no school ID from the API or --school: 'code' takes the school code as the ID (as clever-map --school-id code).", valueName: "id|code"))
  var schoolId = "id"

  @Option(name: .customLong("field"), help: ArgumentHelp("Read a field under its name in the API (repeatable): WHAT.KEY=NAME, e.g. student.classId=gradeLevelId.", valueName: "what.key=name"))
  var fields: [String] = []

  @Flag(name: .long, help: "Only check each key: ask for its school and say whether that worked; read nothing else.")
  var check = false

  @Flag(name: .long, help: "Find out, read-only and small, what each key's API gives (endpoints, fields, paging, guardians, the school's ID), then a verdict.")
  var probe = false

  @Option(name: .long, help: ArgumentHelp("With --probe: also write the findings as JSON, mode 0600: names, shapes, statuses and counts, no value and no key.", valueName: "file"))
  var probeReport: String?

  @Flag(name: .long, help: "Print every diagnostic; by default each code is shown 20 times, then counted.")
  var all = false

  @Option(name: .long, help: ArgumentHelp("Also write every diagnostic as NDJSON to this file (mode 0600).", valueName: "file"))
  var diagnostics: String?

  public init() {}

  /// The entry point. ArgumentParser's `main()` resolves to the synchronous one from
  /// top-level code and refuses an async command, so parse and run here.
  public static func start() async {
    do {
      var command = try parseReportingTypos()
      if var extract = command as? QSExtractCommand {
        try await extract.run()
      } else {
        try command.run()  // --help, --version
      }
    } catch {
      exitReportingTypos(error)
    }
  }

  public func validate() throws {
    if check, save != nil || from != nil { throw ValidationError("--check asks the API only: no --save or --from") }
    if probe, check || save != nil || from != nil {
      throw ValidationError("--probe asks the API only: no --check, --save or --from")
    }
    if probeReport != nil, !probe { throw ValidationError("--probe-report goes with --probe") }
    if save != nil, from != nil { throw ValidationError("--save and --from cannot be combined: a replay saves nothing new") }
    if from != nil, apiKeyFile != nil || backupURL != nil {
      throw ValidationError("--from replays a saved dump: it needs no --api-key-file and no --backup-url")
    }
    if from != nil, term != nil || includeInactive || itemsPerPage != nil {
      throw ValidationError("--from replays the dump with the options it was saved with; --term, --include-inactive "
        + "and --items-per-page cannot change them")
    }
    for school in schools where GivenSchool(school) == nil {
      throw ValidationError("--school \(school): give CODE=ID:NAME, the code as in the key (before its dot)")
    }
    guard ["id", "code"].contains(schoolId) else { throw ValidationError("--school-id is id or code") }
    var names = FieldNames()
    for field in fields {
      if let problem = names.add(field) { throw ValidationError("--field \(field): \(problem)") }
    }
    guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 (no limit) or more") }
    guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 32") }
    guard (0...20).contains(retries) else { throw ValidationError("--retries must be 0 to 20") }
    guard timeout > 0, deadline > 0 else { throw ValidationError("--timeout and --deadline must be more than 0") }
    if let itemsPerPage, !(1...1000).contains(itemsPerPage) { throw ValidationError("--items-per-page must be 1 to 1000") }
    for url in [baseURL] + (backupURL.map { [$0] } ?? []) {
      guard let parts = URLComponents(string: url), ["http", "https"].contains(parts.scheme ?? ""), parts.host != nil,
        parts.query == nil
      else { throw ValidationError("\(url) is not an http(s) base URL like \(APIHosts.main)") }
    }
  }

  public func run() async throws {
    var options = ExtractOptions()
    options.term = term
    options.includeInactive = includeInactive
    options.policy.rate = rate
    options.policy.concurrency = concurrency
    options.policy.retries = retries
    options.policy.timeout = timeout
    options.policy.deadline = deadline
    options.policy.itemsPerPage = itemsPerPage ?? 1000
    for given in schools.compactMap(GivenSchool.init) { options.givenSchools[given.code] = given }
    options.schoolIdFromCode = schoolId == "code"
    for field in fields { _ = options.fieldNames.add(field) }

    let runner = StageRunner(stage: "qs-extract", diagnosticsFile: diagnostics, all: all)
    let output = OutputSink.standardOutput()
    let progress = ExtractProgress()
    let started = ContinuousClock.now
    var summary = ExtractSummary()
    try await runner.run {
      // Set-up failures too go through the runner, so --diagnostics records them.
      var sources: [SchoolSource] = []
      var manifest: DumpManifest?
      if let from {
        let saved = try DumpManifest.read(from: from)
        options.term = saved.term.isEmpty ? nil : saved.term
        options.includeInactive = saved.includeInactive
        options.policy.itemsPerPage = saved.itemsPerPage
        options.pageParameters = saved.pageParameters
        options.policy.rate = 0  // files need no politeness
        sources = saved.schools.map { SchoolSource(code: $0, transports: [DumpReplay(root: from, code: $0)]) }
      } else {
        let keys = try APIKeys.read(file: apiKeyFile)
        if let save { try DumpFiles.prepare(save) }
        let hosts = [baseURL] + (backupURL.map { [$0] } ?? [])
        sources = try keys.keys.map { key in
          SchoolSource(
            code: key.code, transports: try hosts.map { try HTTPTransport(baseURL: $0, key: key.secret.value) },
            recorder: save.map { DumpRecorder(root: $0, code: key.code) }, secrets: [key.secret.value])
        }
        manifest = DumpManifest(
          savedAt: ISO8601DateFormatter().string(from: Date()), baseURL: baseURL,
          itemsPerPage: options.policy.itemsPerPage, includeInactive: includeInactive, term: term ?? "",
          schools: keys.keys.map(\.code))
      }
      if probe {
        let (report, failure) = await ProbeRun.run(sources, options: options, say: runner.reporter.note)
        if let probeReport { try ProbeRun.write(report, to: probeReport) }
        if let failure { throw failure }
        return
      }
      if check {
        let (lines, failure) = await KeyCheck.run(sources, options: options, report: runner.reporter.report)
        for line in lines { runner.reporter.note(line) }
        if let failure { throw failure }
        return
      }
      let run = ExtractRun(sources: sources, options: options, origin: from == nil ? "api" : "dump")
      defer {
        // What was read goes on even after a failure: without the closing record,
        // clever-map refuses it as cut short rather than as empty.
        try? output.flush()
        progress.finish()
        runner.reporter.note(ExtractProgress.closingLine(summary, seconds: started.duration(to: .now)))
      }
      try await run.run(
        summary: &summary,
        emit: { record in
          try output.write { JSONWriter.append(.object(record), to: &$0); $0.append(0x0A) }
          progress.record()
        },
        phase: progress.phase, onRequest: progress.request, report: runner.reporter.report)
      try output.flush()
      if let save, var manifest {
        manifest.pageParameters = summary.pageParameters
        try manifest.write(to: save)
      }
    }
  }
}
