import Foundation

extension SyncProfile.QuickSchools {
  /// Reads `[quickschools]` with qs-extract's rules: one API key source (a file or a
  /// variable), or a saved dump to replay.
  init(reading t: TableReader) {
    apiKeyFile = t.path("api_key_file")
    apiKeyEnv = t.variableName("api_key_env")
    baseURL = Self.baseURL(t, "base_url")
    backupURL = Self.baseURL(t, "backup_url")
    term = t.string("term")
    includeInactive = t.bool("include_inactive") ?? false
    rate = t.number("rate")
    fromDump = t.path("from_dump")
    schools = t.strings("schools") ?? []
    fields = t.strings("fields") ?? []
    for field in fields where field.wholeMatch(of: /\s*\w+\.\w+\s*=\s*\S+\s*/) == nil {
      t.problem("fields", "\(t.label("fields")) holds \"\(field)\": each is WHAT.KEY=NAME, e.g. student.classId=gradeLevelId")
    }

    // As qs-extract --school reads it: CODE=ID:NAME, none of them empty.
    for school in schools where school.wholeMatch(of: /\s*[^=\s][^=]*=\s*[^:\s][^:]*:\s*\S.*/) == nil {
      t.problem("schools", "\(t.label("schools")) holds \"\(school)\": each is CODE=ID:NAME, the code as in the API key")
    }

    if let rate, !(rate >= 0 && rate.isFinite) {
      t.problem("rate", "\(t.label("rate")) must be 0 (no limit) or more requests per second")
    }
    // Presence, not validity: a key with a bad value was reported already.
    let keySources = ["api_key_file", "api_key_env"].filter(t.has)
    if keySources.count > 1 {
      t.problem("api_key_env", "\(t.tableLabel) names the API key twice: keep api_key_file or api_key_env, not both")
    } else if keySources.isEmpty, !t.has("from_dump") {
      t.problem(nil, "\(t.tableLabel) needs the API key: name its file (api_key_file) or its variable (api_key_env), "
        + "or replay a saved dump (from_dump)")
    }
    // qs-extract --from refuses --include-inactive: a dump replays the students it was
    // saved with. (term still counts with a dump: clever-map --term picks the sections.)
    if t.has("from_dump"), includeInactive {
      t.problem("include_inactive", "\(t.label("include_inactive")) cannot go with from_dump: a dump replays "
        + "the students it was saved with")
    }
  }

  /// An http(s) base URL with a host and no query, as qs-extract takes; never one
  /// carrying a user or password (a secret in the file).
  private static func baseURL(_ t: TableReader, _ key: String) -> String? {
    guard let text = t.string(key) else { return nil }
    guard let parts = URLComponents(string: text), ["http", "https"].contains(parts.scheme?.lowercased() ?? ""),
      parts.host?.isEmpty == false, parts.query == nil
    else {
      t.problem(key, "\(t.label(key)) must be an http(s) base URL like https://api.quickschools.com/sms/v1")
      return nil
    }
    guard parts.user == nil, parts.password == nil else {
      t.problem(key, "\(t.label(key)) must not carry a user or password: the API key goes in api_key_file or api_key_env")
      return nil
    }
    return text
  }
}
