import RunSchedule
import Testing

@testable import SyncProfile

/// The example of the brief, every key set, read back value by value.
@Suite struct FullProfileTests {
  static let full = """
    # lincoln.toml
    time_zone = "America/Chicago"
    state_dir = "/var/lib/clever-sync/lincoln"

    [quickschools]
    api_key_file = "/etc/clever-sync/lincoln.key"
    base_url = "https://api.quickschools.com/sms/v1"
    backup_url = "https://api.smartschoolcentral.com/sms/v1"
    term = "Fall 2026"
    include_inactive = true
    rate = 4
    schools = ["lincoln=300794:Lincoln Academy: Upper School"]
    fields = ["student.classId=gradeLevelId"]

    [mapping]
    school_id = "code"
    grade_map = "grades.txt"
    strict_grades = false

    [validate]
    strict = true

    [sftp]
    destination = "sftp://user@sftp.clever.com"
    identity = "~/.ssh/clever_ed25519"
    passphrase_env = "SFTP_KEY_PASSPHRASE"
    known_hosts = "./known_hosts"
    host_key = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
    verify = true

    [guard]
    max_removed_percent = 15
    students = 5
    enrollments = 20.5

    [retention]
    runs = 12

    [notify]
    command = ["/usr/local/bin/notify-admin", "--channel", "roster"]
    every_run = true

    [[blackout]]
    name = "summer"
    from = "2026-06-15"
    to = "2026-08-20"

    [[blackout]]
    from = 2026-12-24
    to = 2027-01-01

    [[blackout]]
    name = "founders day"
    from = "2026-10-02"

    """

  @Test func everyValueIsRead() throws {
    let path = ProfileFixture.write(Self.full)
    let folder = String(path.dropLast("/lincoln.toml".count))
    let profile = try SyncProfile.load(path: path, name: "lincoln", environment: ProfileFixture.environment)
    #expect(profile.name == "lincoln")
    #expect(profile.path == path)
    #expect(profile.timeZone == "America/Chicago")
    #expect(profile.stateDirectory == "/var/lib/clever-sync/lincoln")
    #expect(
      profile.quickschools
        == SyncProfile.QuickSchools(
          apiKeyFile: "/etc/clever-sync/lincoln.key", apiKeyEnv: nil, baseURL: "https://api.quickschools.com/sms/v1",
          backupURL: "https://api.smartschoolcentral.com/sms/v1", term: "Fall 2026", includeInactive: true, rate: 4,
          fromDump: nil, schools: ["lincoln=300794:Lincoln Academy: Upper School"],
          fields: ["student.classId=gradeLevelId"]))
    #expect(profile.mapping == SyncProfile.Mapping(schoolId: "code", gradeMap: folder + "/grades.txt", strictGrades: false))
    #expect(
      profile.sftp
        == SyncProfile.SFTP(
          destination: "sftp://user@sftp.clever.com", passwordEnv: nil, passwordFile: nil,
          identity: "/home/tester/.ssh/clever_ed25519", passphraseEnv: "SFTP_KEY_PASSPHRASE", passphraseFile: nil,
          knownHosts: folder + "/known_hosts", hostKey: "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
          verify: true))
    #expect(
      profile.guardPercents == [
        "students.csv": 5, "teachers.csv": 15, "sections.csv": 15, "enrollments.csv": 20.5,
      ])
    #expect(profile.retainedRuns == 12)
    #expect(profile.strictValidation)
    #expect(
      profile.notify
        == SyncProfile.Notify(command: ["/usr/local/bin/notify-admin", "--channel", "roster"], everyRun: true))
    #expect(
      profile.blackouts == [
        try Blackout(name: "summer", parsing: "2026-06-15..2026-08-20"),
        try Blackout(name: "blackout 2", parsing: "2026-12-24..2027-01-01"),
        try Blackout(name: "founders day", parsing: "2026-10-02"),
      ])
  }

  /// What a profile leaves out takes the defaults the man page gives.
  @Test func defaults() throws {
    let profile = try ProfileFixture.load(ProfileFixture.minimal)
    #expect(profile.stateDirectory == "/home/tester/.local/state/clever-sync/lincoln")
    #expect(profile.quickschools.apiKeyEnv == "QS_API_KEY")
    #expect(profile.quickschools.includeInactive == false)
    #expect(profile.quickschools.rate == nil)
    #expect(profile.mapping == SyncProfile.Mapping(schoolId: "id", gradeMap: nil, strictGrades: false))
    #expect(!profile.strictValidation)
    #expect(profile.sftp.passwordEnv == "SFTP_PASSWORD")
    #expect(profile.sftp.verify == false)
    #expect(profile.guardPercents == ["students.csv": 10, "teachers.csv": 10, "sections.csv": 10])
    #expect(profile.retainedRuns == 30)
    #expect(profile.notify == SyncProfile.Notify(command: nil, everyRun: false))
    #expect(profile.blackouts.isEmpty)
  }

  @Test func stateDirectoryFromTheEnvironment() throws {
    let profile = try ProfileFixture.load(
      ProfileFixture.minimal, environment: ["HOME": "/home/tester", "CLEVER_SYNC_STATE_DIR": "/srv/state"])
    #expect(profile.stateDirectory == "/srv/state/lincoln")
  }

  /// A dry-run profile: a saved dump, no API key, a local destination needing no login.
  @Test func dumpAndLocalDestination() throws {
    let path = ProfileFixture.write(
      """
      time_zone = "Europe/London"
      state_dir = "state"
      [quickschools]
      from_dump = "dump"
      term = "Spring 2027"
      [sftp]
      destination = "file:///tmp/clever-out"
      [notify]
      command = ["./notify.sh", "--quiet"]
      """)
    let folder = String(path.dropLast("/lincoln.toml".count))
    let profile = try SyncProfile.load(path: path, name: "lincoln", environment: [:])
    #expect(profile.stateDirectory == folder + "/state")
    #expect(profile.quickschools.fromDump == folder + "/dump")
    #expect(profile.quickschools.apiKeyFile == nil && profile.quickschools.apiKeyEnv == nil)
    #expect(profile.quickschools.term == "Spring 2027")  // clever-map --term, even with a dump
    #expect(profile.sftp.destination == "file:///tmp/clever-out")
    #expect(profile.notify.command == [folder + "/notify.sh", "--quiet"])
  }

  /// A command named without a path is left for PATH to find when it runs.
  @Test func bareCommandIsLeftForPath() throws {
    let profile = try ProfileFixture.load(ProfileFixture.minimal + "[notify]\ncommand = [\"logger\", \"-t\", \"clever-sync\"]\n")
    #expect(profile.notify.command == ["logger", "-t", "clever-sync"])
  }
}
