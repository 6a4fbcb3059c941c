import Foundation
import RunSchedule
import TOMLKit

extension SyncProfile {
  /// Reads and checks the profile at `path`; throws every problem found, not just the
  /// first, each at its line. `environment` gives HOME (for `~`) and
  /// CLEVER_SYNC_STATE_DIR. Secret files it names are not read here: the stages read
  /// them when they need them, and check their mode.
  public static func load(path: String, name: String, environment: [String: String]) throws(ProfileProblems)
    -> SyncProfile
  {
    let text = try readText(path)
    let root: TOMLTable
    do {
      root = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      // toml++ stops at the first syntax error, so there is only ever one of these.
      throw ProfileProblems(path: path, problems: [ProfileProblem(line: error.source.begin.line, "TOML: \(error.description)")])
    } catch {
      throw ProfileProblems(path: path, problems: [ProfileProblem(line: nil, "TOML: \(error)")])
    }
    let absolute = path.hasPrefix("/") ? path : ProfilePath.joined(FileManager.default.currentDirectoryPath, path)
    let log = ProblemLog(keyLines: KeyLines(text: text), folder: ProfilePath.folder(of: absolute), home: environment["HOME"])
    let top = TableReader(table: root, path: [], schema: "", log: log)
    top.checkUnknownKeys()

    let timeZone = readTimeZone(top)
    let stateDirectory = top.path("state_dir") ?? defaultStateDirectory(name: name, environment: environment)
    if stateDirectory == nil, !top.has("state_dir") {
      top.problem(nil, "no state directory: set state_dir, or CLEVER_SYNC_STATE_DIR or HOME in the environment")
    }
    let quickschools = QuickSchools(reading: section("quickschools", of: top, required: "the API key or a dump to replay"))
    let mapping = Mapping(reading: section("mapping", of: top))
    let strictValidation = section("validate", of: top).bool("strict") ?? false
    let sftp = SFTP(reading: section("sftp", of: top, required: "the destination"))
    let guardPercents = GuardSection.read(section("guard", of: top))
    let retainedRuns = RetentionSection.read(section("retention", of: top))
    let notify = Notify(reading: section("notify", of: top))
    let history = History(reading: section("history", of: top))
    let blackouts = BlackoutSection.read(top.tableArray("blackout"))

    guard log.problems.isEmpty, let timeZone, let stateDirectory else {
      throw ProfileProblems(path: path, problems: log.sorted)
    }
    return SyncProfile(
      name: name, path: absolute, timeZone: timeZone, stateDirectory: stateDirectory, quickschools: quickschools,
      mapping: mapping, sftp: sftp, guardPercents: guardPercents, retainedRuns: retainedRuns,
      strictValidation: strictValidation, notify: notify,
      blackouts: blackouts, history: history)
  }

  /// The table `[key]`, its unknown keys reported; an empty one when it is absent, so
  /// that defaults and "missing" checks come from the same code. A table the profile
  /// cannot do without is reported missing once, rather than once per key.
  private static func section(_ key: String, of top: TableReader, required what: String? = nil) -> TableReader {
    if let table = top.table(key) {
      table.checkUnknownKeys()
      return table
    }
    if let what, top.table[key] == nil { top.problem(nil, "[\(key)] is missing: it names \(what)") }
    // A stand-in with no keys. Its own complaints go to a log nobody reads: the table's
    // absence, or its wrong type, is the one problem to report.
    return TableReader(table: TOMLTable(), path: [key], schema: key, log: top.log.discarding())
  }

  /// The IANA zone schedules are read in, known to Foundation's time zone database.
  private static func readTimeZone(_ top: TableReader) -> String? {
    guard let zone = top.string("time_zone", required: true) else { return nil }
    do {
      _ = try ZoneClock(identifier: zone)
      return zone
    } catch {
      top.problem("time_zone", "time_zone: \(error.description)")
      return nil
    }
  }

  /// The file's text; a missing, unreadable or non-UTF-8 file is the one problem.
  private static func readText(_ path: String) throws(ProfileProblems) -> String {
    func fail(_ message: String, _ kind: ProfileProblems.Kind) -> ProfileProblems {
      ProfileProblems(path: path, problems: [ProfileProblem(line: nil, message)], kind: kind)
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw fail("no such profile: create it (clever-sync(5) describes the file), or name another with --profile", .missing)
    }
    guard !isFolder.boolValue else { throw fail("this is a folder, not a profile file", .unreadable) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw fail("cannot read the profile: check its permissions", .unreadable)
    }
    guard let text = String(data: data, encoding: .utf8) else { throw fail("the profile is not UTF-8 text", .unreadable) }
    // TOMLKit hands toml++ a C string, which would silently end at a NUL.
    if let nul = text.firstIndex(of: "\0") {
      let line = text[..<nul].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
      throw ProfileProblems(path: path, problems: [ProfileProblem(line: line, "a NUL byte: the profile must be text")])
    }
    return text
  }
}
