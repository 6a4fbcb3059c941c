import Testing

@testable import SyncProfile

/// One mistake in an otherwise valid profile: reported once, at the right line, saying
/// what is wrong. `minimal` is lines 1-6: time_zone, [quickschools], api_key_env, [sftp],
/// destination, password_env.
struct Mistake: Sendable, CustomTestStringConvertible {
  let what: String
  let text: String
  let line: Int?
  let message: String
  var testDescription: String { what }

  /// `minimal` with `lines` added after it (first added line is 7).
  static func added(_ what: String, _ lines: String, line: Int?, _ message: String) -> Mistake {
    Mistake(what: what, text: ProfileFixture.minimal + lines, line: line, message: message)
  }

  /// `minimal` with one of its lines replaced.
  static func replaced(_ what: String, _ old: String, _ new: String, line: Int?, _ message: String) -> Mistake {
    Mistake(what: what, text: ProfileFixture.minimal.replacingOccurrences(of: old, with: new), line: line, message: message)
  }
}

let mistakes: [Mistake] = [
  // TOML itself
  .added("syntax error", "[notify\n", line: 7, "TOML: "),
  .added("duplicate key", "[retention]\nruns = 3\nruns = 4\n", line: 9, "TOML: "),
  // names
  .added("unknown table", "[sftpp]\nverify = true\n", line: 7, "unknown table [sftpp]; did you mean [sftp]?"),
  .added("unknown array of tables", "[[blackouts]]\nfrom = \"2026-01-01\"\n", line: 7,
         "unknown table [blackouts]; did you mean [[blackout]]?"),
  .added("unknown key", "[guard]\nstudent = 5\n", line: 8, "unknown key [guard] student; did you mean students?"),
  .added("unknown key, dashes", "known-hosts = \"kh\"\n", line: 7,
         "unknown key [sftp] known-hosts; did you mean known_hosts?"),
  .added("unknown key, nothing near", "[mapping]\ncolour = \"blue\"\n", line: 8, "unknown key [mapping] colour"),
  .replaced("unknown top-level key", "time_zone", "state-dir = \"s\"\ntime_zone", line: 1,
            "unknown key state-dir; did you mean state_dir?"),
  // secrets written in
  .added("sftp password", "password = \"hunter2\"\n", line: 7,
         "[sftp] password is a secret: name its variable (password_env) or its file (password_file) instead"),
  .added("sftp passphrase", "passphrase = \"hunter2\"\n", line: 7,
         "[sftp] passphrase is a secret: name its variable (passphrase_env) or its file (passphrase_file) instead"),
  .added("sftp key", "key = \"-----BEGIN OPENSSH PRIVATE KEY-----\"\n", line: 7,
         "[sftp] key is a secret: name its file (identity) instead"),
  .replaced("api_key", "api_key_env = \"QS_API_KEY\"", "api_key_env = \"QS_API_KEY\"\napi_key = \"abc123\"", line: 4,
            "[quickschools] api_key is a secret: name its variable (api_key_env) or its file (api_key_file) instead"),
  .replaced("quickschools key", "api_key_env = \"QS_API_KEY\"", "api_key_env = \"QS_API_KEY\"\nkey = \"abc123\"", line: 4,
            "[quickschools] key is a secret: name its variable (api_key_env) or its file (api_key_file) instead"),
  .replaced("top-level password", "time_zone", "password = \"x\"\ntime_zone", line: 1,
            "password is a secret: name its variable ([sftp] password_env) or its file ([sftp] password_file) instead"),
  .added("sftp_password", "sftp_password = \"hunter2\"\n", line: 7,
         "[sftp] sftp_password is a secret: name its variable (password_env) or its file (password_file) instead"),
  .replaced("secret in an _env key", "\"SFTP_PASSWORD\"", "\"hunter2!\"", line: 6,
            "[sftp] password_env must be the name of an environment variable (letters, digits and _), not the secret itself"),
  .replaced("password in the destination", "sftp://lincoln@", "sftp://lincoln:hunter2@", line: 5,
            "[sftp] destination holds a password: never put one there"),
  // types
  .added("bool as string", "verify = \"yes\"\n", line: 7, "[sftp] verify must be true or false, not a string"),
  .replaced("zone as number", "\"America/Chicago\"", "6", line: 1, "time_zone must be a string, not an integer"),
  .added("percent as string", "[guard]\nstudents = \"10%\"\n", line: 8, "[guard] students must be a number, not a string"),
  .added("runs as float", "[retention]\nruns = 2.5\n", line: 8, "[retention] runs must be a whole number, not a float"),
  .added("bool as string in a table", "[notify]\nevery_run = \"no\"\n", line: 8,
         "[notify] every_run must be true or false, not a string"),
  .replaced("table written as a value", "time_zone", "mapping = 3\ntime_zone", line: 1,
            "mapping must be a table, written [mapping] on a line of its own, not an integer"),
  .added("blackout as one table", "[blackout]\nfrom = \"2026-06-15\"\n", line: 7,
         "blackout must be written as [[blackout]] tables, one per blackout, not a table"),
  .added("empty string", "known_hosts = \"\"\n", line: 7, "[sftp] known_hosts is empty"),
  .added("inline table", "[notify]\ncommand = { program = \"x\" }\n", line: 8,
         "[notify] command must be an array of strings, not a table"),
  // required
  .replaced("missing time_zone", "time_zone = \"America/Chicago\"", "", line: nil, "time_zone is missing"),
  .replaced("missing destination", "destination = \"sftp://lincoln@sftp.clever.com\"", "", line: 4,
            "[sftp] destination is missing"),
  .replaced("missing [sftp]", "[sftp]\ndestination = \"sftp://lincoln@sftp.clever.com\"\npassword_env = \"SFTP_PASSWORD\"", "",
            line: nil, "[sftp] is missing: it names the destination"),
  // one of several
  .replaced("two API keys", "api_key_env = \"QS_API_KEY\"", "api_key_env = \"QS_API_KEY\"\napi_key_file = \"k\"", line: 3,
            "[quickschools] names the API key twice"),
  .replaced("no API key", "api_key_env = \"QS_API_KEY\"", "term = \"Fall\"", line: 2, "[quickschools] needs the API key"),
  .added("two ways to log in", "identity = \"~/.ssh/id\"\n", line: 7,
         "[sftp] gives password_env and identity: keep one way to log in"),
  .replaced("no way to log in", "password_env = \"SFTP_PASSWORD\"", "verify = true", line: 4, "[sftp] needs a way to log in"),
  .added("passphrase without identity", "passphrase_file = \"p\"\n", line: 7,
         "[sftp] passphrase_file is the passphrase of a private key, but [sftp] has no identity"),
  .replaced("inactive students with a dump", "api_key_env = \"QS_API_KEY\"", "from_dump = \"d\"\ninclude_inactive = true",
            line: 4, "[quickschools] include_inactive cannot go with from_dump"),
  .added("strict grades and a grade map", "[mapping]\ngrade_map = \"g.txt\"\nstrict_grades = true\n", line: 9,
         "[mapping] strict_grades cannot go with grade_map"),
  // values
  .replaced("unknown zone", "America/Chicago", "America/Chicagoo", line: 1, "time_zone: unknown time zone \"America/Chicagoo\""),
  .added("school_id", "[mapping]\nschool_id = \"name\"\n", line: 8, "[mapping] school_id must be \"id\" or \"code\", not \"name\""),
  .added("percent over 100", "[guard]\nmax_removed_percent = 150\n", line: 8,
         "[guard] max_removed_percent must be a percentage from 0 to 100"),
  .added("negative percent", "[guard]\nstaff = -1\n", line: 8, "[guard] staff must be a percentage from 0 to 100"),
  .added("retention 0", "[retention]\nruns = 0\n", line: 8, "[retention] runs must be 1 or more"),
  .replaced("negative rate", "api_key_env = \"QS_API_KEY\"", "api_key_env = \"QS_API_KEY\"\nrate = -2", line: 4,
            "[quickschools] rate must be 0 (no limit) or more"),
  .replaced("ftp base URL", "api_key_env = \"QS_API_KEY\"", "api_key_env = \"QS_API_KEY\"\nbase_url = \"ftp://x/y\"", line: 4,
            "[quickschools] base_url must be an http(s) base URL"),
  .replaced("other scheme", "sftp://lincoln@", "ftp://lincoln@", line: 5, "[sftp] destination: ftp:// is not SFTP"),
  .replaced("relative file destination", "sftp://lincoln@sftp.clever.com", "file://out", line: 5,
            "[sftp] destination: a file: destination needs an absolute path"),
  .added("bad host key", "host_key = \"MD5:12:34\"\n", line: 7, "[sftp] host_key must be a SHA256 fingerprint"),
  .added("empty command", "[notify]\ncommand = []\n", line: 8, "[notify] command is empty"),
  .added("command with a number", "[notify]\ncommand = [\"x\", 1]\n", line: 8,
         "[notify] command must hold only strings, none empty; found an integer"),
  .added("every_run without command", "[notify]\nevery_run = true\n", line: 8,
         "[notify] every_run is set but [notify] has no command to run"),
  .added("blackout backwards", "[[blackout]]\nname = \"x\"\nfrom = \"2026-06-15\"\nto = \"2026-06-01\"\n", line: 10,
         "[[blackout]] to 2026-06-01 is before from 2026-06-15"),
  .added("blackout bad date", "[[blackout]]\nfrom = \"2026-02-30\"\n", line: 8,
         "[[blackout]] from: invalid date \"2026-02-30\""),
  .added("blackout without from", "[[blackout]]\nname = \"summer\"\n", line: 7, "[[blackout]] from is missing"),
  .added("second blackout", "[[blackout]]\nfrom = \"2026-06-15\"\n\n[[blackout]]\nfrom = \"2026-13-01\"\n", line: 11,
         "[[blackout]] from: invalid date"),
]

@Suite struct MistakeTests {
  @Test(arguments: mistakes)
  func reportedAtItsLine(_ mistake: Mistake) {
    let problems = ProfileFixture.problems(mistake.text)
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.line == mistake.line, "\(problems)")
    #expect(problems.first?.message.hasPrefix(mistake.message) == true, "\(problems)")
  }

  /// No message repeats a secret that was written into the profile.
  @Test func secretsAreNotRepeated() {
    let text = ProfileFixture.minimal.replacingOccurrences(of: "sftp://lincoln@", with: "sftp://lincoln:s3cr3t@")
      .replacingOccurrences(of: "\"SFTP_PASSWORD\"", with: "\"s3cr3t pass\"")
      + "password = \"s3cr3t\"\npassphrase = \"s3cr3t\"\n"
    let problems = ProfileFixture.problems(text)
    #expect(problems.count == 4)
    #expect(!problems.contains { $0.message.contains("s3cr3t") })
  }

  @Test func tildeWithoutHome() {
    let path = ProfileFixture.write(ProfileFixture.minimal.replacingOccurrences(
      of: "password_env = \"SFTP_PASSWORD\"", with: "identity = \"~/.ssh/id\""))
    #expect(throws: ProfileProblems.self) {
      try SyncProfile.load(path: path, name: "lincoln", environment: [:])
    }
    do {
      _ = try SyncProfile.load(path: path, name: "lincoln", environment: [:])
    } catch {
      #expect(error.problems.map(\.line) == [6, nil])
      #expect(error.problems[0].message == "[sftp] identity starts with ~ but HOME is not set: write the full path")
      #expect(error.problems[1].message.hasPrefix("no state directory"))
    }
  }

  @Test func missingFile() {
    do {
      _ = try SyncProfile.load(path: ProfileFixture.folder() + "/none.toml", name: "none", environment: [:])
      Issue.record("loaded a file that is not there")
    } catch {
      #expect(error.kind == .missing)
      #expect(error.problems.map(\.line) == [nil])
      #expect(error.lines[0].hasSuffix("/none.toml: error: no such profile: create it (clever-sync(5) describes the file), or name another with --profile"))
    }
  }
}
