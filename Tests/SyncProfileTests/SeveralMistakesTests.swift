import Testing

@testable import SyncProfile

/// `config check` shows every mistake of a file at once, in line order, each with its line.
@Suite struct SeveralMistakesTests {
  static let text = """
    time_zone = "Mars/Olympus"
    [quickschools]
    api_key_file = "/etc/clever-sync/lincoln.key"
    api_key_env = "QS_API_KEY"
    [sftp]
    destination = "sftp://user@sftp.clever.com"
    password = "hunter2"
    [guard]
    students = 300
    [retention]
    runs = "forever"
    [[blackout]]
    name = "winter"
    from = "2026-12-24"
    to = "2026-12-20"
    """

  @Test func everyMistakeInLineOrder() {
    let path = ProfileFixture.write(Self.text)
    do {
      _ = try SyncProfile.load(path: path, name: "lincoln", environment: ProfileFixture.environment)
      Issue.record("loaded a broken profile")
    } catch {
      #expect(error.kind == .invalid)
      #expect(error.problems.map(\.line) == [1, 4, 5, 7, 9, 11, 15])
      #expect(
        error.lines == [
          "\(path):1: error: time_zone: unknown time zone \"Mars/Olympus\": expected an IANA identifier such as America/New_York or Europe/London",
          "\(path):4: error: [quickschools] names the API key twice: keep api_key_file or api_key_env, not both",
          "\(path):5: error: [sftp] needs a way to log in: password_env, password_file or identity (a private key)",
          "\(path):7: error: [sftp] password is a secret: name its variable (password_env) or its file (password_file) instead",
          "\(path):9: error: [guard] students must be a percentage from 0 to 100",
          "\(path):11: error: [retention] runs must be a whole number, not a string",
          "\(path):15: error: [[blackout]] to 2026-12-20 is before from 2026-12-24",
        ])
    }
  }

  /// A syntax error stops TOML parsing, so it is the one problem reported.
  @Test func syntaxErrorAlone() {
    let problems = ProfileFixture.problems("time_zone = \"America/Chicago\"\n\n[sftp]\ndestination = sftp://x\n")
    #expect(problems.map(\.line) == [4])
    #expect(problems[0].message.hasPrefix("TOML: "))
  }

  /// TOMLKit passes the text on as a C string: a NUL would hide the rest of the file.
  @Test func nulByte() {
    let problems = ProfileFixture.problems(ProfileFixture.minimal + "[sftp2]\n\u{0}password = \"x\"\n")
    #expect(problems == [ProfileProblem(line: 8, "a NUL byte: the profile must be text")])
  }
}
