import RunSchedule

/// One clever-sync profile (one school or district), as read from its TOML file by
/// `load(path:name:environment:)`. Every path in it is absolute, `~` expanded. It never
/// holds a secret, only where to find one: a variable's name or a file's path (the
/// stages read the secret, and check a secret file's mode, when they need it).
public struct SyncProfile: Sendable {
  /// The profile's name: the state directory, the lock and the history go by it.
  public let name: String
  /// The profile file, absolute.
  public let path: String
  /// The IANA zone schedules are read in ("America/Chicago"); known to Foundation.
  public let timeZone: String
  /// Where runs, artifacts and the history live.
  public let stateDirectory: String

  /// Where the roster comes from: the QuickSchools API, or a saved dump.
  public struct QuickSchools: Sendable, Equatable {
    public let apiKeyFile: String?
    public let apiKeyEnv: String?
    public let baseURL: String?
    public let backupURL: String?
    public let term: String?
    public let includeInactive: Bool
    /// Requests per second at most; 0 for no limit; nil for qs-extract's default.
    public let rate: Double?
    /// A dump saved by `qs-extract --save`, replayed instead of calling the API.
    public let fromDump: String?
    /// Schools' identities for an API that gives none: `CODE=ID:NAME` (qs-extract --school).
    public let schools: [String]
    /// The API's own spellings of fields: `WHAT.KEY=NAME` (qs-extract --field).
    public let fields: [String]
  }

  /// clever-map's options.
  public struct Mapping: Sendable, Equatable {
    /// "id" (the default) or "code": which QuickSchools field becomes School_id.
    public let schoolId: String
    public let gradeMap: String?
    public let strictGrades: Bool
  }

  /// sftp-put's destination and how it authenticates: at most one of a password
  /// variable, a password file or an identity (exactly one unless `file://`).
  public struct SFTP: Sendable, Equatable {
    public let destination: String
    public let passwordEnv: String?
    public let passwordFile: String?
    public let identity: String?
    public let passphraseEnv: String?
    public let passphraseFile: String?
    public let knownHosts: String?
    public let hostKey: String?
    /// sftp-put --verify: read each uploaded file back. Default false, as sftp-put.
    public let verify: Bool
  }

  /// The command run with the run summary (JSON) on stdin.
  public struct Notify: Sendable, Equatable {
    /// Program and arguments, no shell; nil when nothing is to be run.
    public let command: [String]?
    /// Also after runs that succeeded or were skipped, not only Failed and Held.
    public let everyRun: Bool
  }

  public let quickschools: QuickSchools
  public let mapping: Mapping
  public let sftp: SFTP
  /// File name ("students.csv") → the largest share of its records, in percent, that one
  /// upload may remove before the run is Held. students, teachers and sections are
  /// always there; a file that is absent is not guarded.
  public let guardPercents: [String: Double]
  /// How many runs keep their artifacts (at least 1).
  public let retainedRuns: Int
  /// `[validate] strict`: clever-validate --strict, so a warning fails the run too.
  public let strictValidation: Bool
  public let notify: Notify
  public let blackouts: [Blackout]
  public let history: History
}
