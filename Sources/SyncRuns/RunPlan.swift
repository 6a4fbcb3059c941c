import Foundation
import SyncProfile

/// The stages of a run for a profile: the same executables and options a user would
/// type, so a run is exactly what the stages do alone.
public struct RunPlan {
  public let profile: SyncProfile
  public let environment: [String: String]

  public init(profile: SyncProfile, environment: [String: String]) {
    self.profile = profile
    self.environment = environment
  }

  /// qs-extract, clever-map, clever-validate, clever-csv write, into `artifacts`.
  public func buildStages(_ artifacts: RunArtifacts) throws(RunFailure) -> [StageInvocation] {
    var extract = try self.extract()
    extract.arguments += ["--diagnostics", artifacts.diagnostics("qs-extract")]

    let mapping = profile.mapping
    var map = StageInvocation("clever-map", ["--school-id", mapping.schoolId])
    if let file = mapping.gradeMap { map.arguments += ["--grade-map", file] }
    if mapping.strictGrades { map.arguments.append("--strict-grades") }
    if let term = profile.quickschools.term { map.arguments += ["--term", term] }
    map.arguments += ["--diagnostics", artifacts.diagnostics("clever-map")]

    var validate = StageInvocation("clever-validate", ["--diagnostics", artifacts.diagnostics("clever-validate")])
    // Only errors fail a run, unless the profile insists on Clever's documented format.
    if profile.strictValidation { validate.arguments.append("--strict") }
    let write = StageInvocation(
      "clever-csv", ["write", "-o", artifacts.csvDirectory, "--diagnostics", artifacts.diagnostics("clever-csv")])
    return [extract, map, validate, write]
  }

  /// qs-extract as the profile says. With `check`, only its check: with a saved dump that
  /// is a replay (it reads the manifest and every answer), else `--probe`.
  public func extract(check: Bool = false) throws(RunFailure) -> StageInvocation {
    let qs = profile.quickschools
    var extract = StageInvocation("qs-extract", [])
    // The schools' identities where the API gives none (a replay needs them as well).
    for school in qs.schools { extract.arguments += ["--school", school] }
    for field in qs.fields { extract.arguments += ["--field", field] }
    // School_id from the code (mapping) also lets qs-extract take the code as the ID.
    if profile.mapping.schoolId == "code" { extract.arguments += ["--school-id", "code"] }
    if let dump = qs.fromDump {
      extract.arguments += ["--from", dump]
      return extract
    }
    if let url = qs.baseURL { extract.arguments += ["--base-url", url] }
    if let url = qs.backupURL { extract.arguments += ["--backup-url", url] }
    if let file = qs.apiKeyFile { extract.arguments += ["--api-key-file", file] }
    if let variable = qs.apiKeyEnv { extract.environment["QS_API_KEY"] = try secret(variable, "the QuickSchools API key") }
    if check {
      extract.arguments.append("--probe")
      return extract
    }
    if let term = qs.term { extract.arguments += ["--term", term] }
    if qs.includeInactive { extract.arguments.append("--include-inactive") }
    if let rate = qs.rate { extract.arguments += ["--rate", String(rate)] }
    return extract
  }

  /// sftp-put of the set's files, with the profile's way of logging in. `acceptNewHostKey`
  /// records an unknown host key in the profile's known_hosts (test-connection).
  public func upload(_ files: [String], check: Bool = false, acceptNewHostKey: Bool = false) throws(RunFailure)
    -> StageInvocation
  {
    let sftp = profile.sftp
    var put = StageInvocation("sftp-put", [])
    // An unknown or changed host key is explained in the profile's terms, not sftp-put's flags.
    put.environment["SFTP_PUT_PIN_ADVICE"] =
      "pin it in the profile: host_key = \"{fingerprint}\" under [sftp] in \(profile.path)"
    put.environment["SFTP_PUT_RECORD_ADVICE"] =
      "record it with: clever-sync test-connection --accept-new-host-key --profile \(profile.name)"
    if acceptNewHostKey {
      guard sftp.hostKey == nil else {
        throw RunFailure("the profile pins host_key, so no key is recorded: to trust another key, change host_key "
          + "in \(profile.path)")
      }
      put.arguments.append("--accept-new-host-key")
    }
    if let file = sftp.passwordFile { put.arguments += ["--password-file", file] }
    if let variable = sftp.passwordEnv { put.environment["SFTP_PASSWORD"] = try secret(variable, "the SFTP password") }
    if let key = sftp.identity { put.arguments += ["-i", key] }
    if let file = sftp.passphraseFile { put.arguments += ["--passphrase-file", file] }
    if let variable = sftp.passphraseEnv {
      put.environment["SFTP_KEY_PASSPHRASE"] = try secret(variable, "the SSH key's passphrase")
    }
    if let file = sftp.knownHosts { put.arguments += ["--known-hosts", file] }
    if let pin = sftp.hostKey { put.arguments += ["--host-key", pin] }
    if check {
      put.arguments.append("--check")
    } else if sftp.verify {
      put.arguments.append("--verify")
    }
    put.arguments.append(sftp.destination)
    put.arguments += files
    return put
  }

  /// Every variable that may hold a secret: the ones the profile names and the ones the
  /// stages read. None is passed on to a process that is not given it on purpose.
  public var secretVariables: Set<String> {
    let named = [
      profile.quickschools.apiKeyEnv, profile.sftp.passwordEnv, profile.sftp.passphraseEnv,
    ].compactMap { $0 }
    return Set(named + ["QS_API_KEY", "SFTP_PASSWORD", "SFTP_KEY_PASSPHRASE"])
  }

  /// The value of the variable the profile names; the value itself is never kept.
  private func secret(_ variable: String, _ what: String) throws(RunFailure) -> String {
    guard let value = environment[variable], !value.isEmpty else {
      throw RunFailure("the profile takes \(what) from $\(variable), which is not set")
    }
    return value
  }
}

/// An approval refused because a newer upload exists (RunEngine.approve).
public struct StaleApproval: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// Why a run could not go on, in words for its history row.
public struct RunFailure: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
