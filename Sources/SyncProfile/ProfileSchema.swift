import RecordStream

/// The names a profile may use, once, as data: unknown-key checks and did-you-mean read
/// them, and a test checks the man page (clever-sync.5) against them.
enum ProfileSchema {
  /// The tables (`[name]`), in the order the man page lists them.
  static let tables = ["quickschools", "mapping", "validate", "sftp", "guard", "retention", "history", "notify"]
  /// The arrays of tables (`[[name]]`).
  static let tableArrays = ["blackout"]
  /// The keys of each table; "" is the top level.
  static let keys: [String: [String]] = [
    "": ["time_zone", "state_dir"],
    "quickschools": [
      "api_key_file", "api_key_env", "base_url", "backup_url", "term", "include_inactive", "rate", "from_dump",
      "schools", "fields",
    ],
    "mapping": ["school_id", "grade_map", "strict_grades"],
    "validate": ["strict"],
    "sftp": [
      "destination", "password_env", "password_file", "identity", "passphrase_env", "passphrase_file",
      "known_hosts", "host_key", "verify",
    ],
    "guard": ["max_removed_percent"] + guardedFiles,
    "retention": ["runs"],
    "history": ["store", "database_url_file"],
    "notify": ["command", "every_run"],
    "blackout": ["name", "from", "to"],
  ]
  /// The Clever files `[guard]` may name, as its keys.
  static let guardedFiles = ["students", "teachers", "sections", "enrollments", "staff", "schools"]
  /// The files `max_removed_percent` covers when they have no key of their own.
  static let guardedByDefault = ["students", "teachers", "sections"]
}

/// Keys that would hold a secret itself. Secrets never go in a settings file (a profile
/// is copied, backed up, shown on screen, committed): the profile names the variable or
/// the file that holds one, and says so when someone writes the secret in.
enum SecretKey {
  /// Why the key is refused and what to write instead; nil if the name is not a secret's.
  static func advice(key: String, table: String) -> String? {
    let name = String(Suggestion.normalized(key))
    let where_ = table.isEmpty ? "" : "[\(table)] "
    func use(_ variable: String, _ file: String, in home: String) -> String {
      let prefix = table == home ? "" : "[\(home)] "
      return "\(where_)\(key) is a secret: name its variable (\(prefix)\(variable)) or its file (\(prefix)\(file)) instead"
    }
    if name == "password" || name.hasSuffix("_password") { return use("password_env", "password_file", in: "sftp") }
    if name == "passphrase" || name.hasSuffix("_passphrase") {
      return use("passphrase_env", "passphrase_file", in: "sftp")
    }
    if ["api_key", "apikey"].contains(name) || name.hasSuffix("_api_key") || name.hasSuffix("_apikey") {
      return use("api_key_env", "api_key_file", in: "quickschools")
    }
    if ["private_key", "ssh_key"].contains(name) || (name == "key" && table == "sftp") {
      return "\(where_)\(key) is a secret: name its file (\(table == "sftp" ? "" : "[sftp] ")identity) instead"
    }
    if name == "key" { return use("api_key_env", "api_key_file", in: "quickschools") }
    if ["database_url", "url"].contains(name) && (table == "history" || name == "database_url") {
      let prefix = table == "history" ? "" : "[history] "
      return "\(where_)\(key) is a secret (it holds the password): set CLEVER_SYNC_DATABASE_URL in the environment "
        + "or name its file (\(prefix)database_url_file) instead"
    }
    return nil
  }
}
