extension SyncProfile.SFTP {
  /// Reads `[sftp]`: the destination, and one way to log in (none for a local
  /// `file://` destination). Secrets are named, never given.
  init(reading t: TableReader) {
    destination = Self.destination(t) ?? ""
    passwordEnv = t.variableName("password_env")
    passwordFile = t.path("password_file")
    identity = t.path("identity")
    passphraseEnv = t.variableName("passphrase_env")
    passphraseFile = t.path("passphrase_file")
    knownHosts = t.path("known_hosts")
    hostKey = Self.hostKey(t)
    verify = t.bool("verify") ?? false

    let ways = ["password_env", "password_file", "identity"].filter(t.has)
    let local = destination.lowercased().hasPrefix("file://")
    if ways.count > 1 {
      t.problem(ways[1], "\(t.tableLabel) gives \(ways.joined(separator: " and ")): keep one way to log in")
    } else if ways.isEmpty, !local, t.has("destination") {
      t.problem(nil, "\(t.tableLabel) needs a way to log in: password_env, password_file or identity (a private key)")
    }
    let passphrases = ["passphrase_env", "passphrase_file"].filter(t.has)
    if passphrases.count > 1 {
      t.problem(passphrases[1], "\(t.tableLabel) names the passphrase twice: keep passphrase_env or passphrase_file")
    }
    if let first = passphrases.first, !t.has("identity") {
      t.problem(first, "\(t.label(first)) is the passphrase of a private key, but [sftp] has no identity")
    }
  }

  /// A destination sftp-put takes, checked lightly here (sftp-put's parser lives with
  /// the SFTP code): no other scheme, an absolute file:// path, and never a password.
  private static func destination(_ t: TableReader) -> String? {
    guard let text = t.string("destination", required: true) else { return nil }
    let lower = text.lowercased()
    if lower.hasPrefix("file://") {
      guard text.dropFirst(7).hasPrefix("/") else {
        t.problem("destination", "\(t.label("destination")): a file: destination needs an absolute path, file:///dir")
        return nil
      }
      return text
    }
    if let scheme = lower.range(of: "://"), !lower.hasPrefix("sftp://") {
      t.problem("destination", "\(t.label("destination")): \(lower[..<scheme.lowerBound]):// is not SFTP "
        + "(try sftp://user@sftp.clever.com)")
      return nil
    }
    // user:secret@host, as sftp-put refuses it, and without repeating it.
    var authority = Substring(text)
    if lower.hasPrefix("sftp://") {
      authority = authority.dropFirst(7)
      if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
    } else if let slash = authority.firstIndex(of: "/"), let at = authority.lastIndex(of: "@"), slash < at {
      authority = authority[..<slash]
    }
    if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
      t.problem("destination", "\(t.label("destination")) holds a password: never put one there; "
        + "name its variable (password_env) or its file (password_file) instead")
      return nil
    }
    return text
  }

  /// A pinned host key as `ssh-keygen -lf` prints it: SHA256: and 43 base64 characters
  /// (the prefix may be left out, as sftp-put allows).
  private static func hostKey(_ t: TableReader) -> String? {
    guard let text = t.string("host_key") else { return nil }
    let body = text.hasPrefix("SHA256:") ? text.dropFirst(7) : Substring(text)
    let base64 = body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }
    guard body.count == 43, base64 else {
      t.problem("host_key", "\(t.label("host_key")) must be a SHA256 fingerprint as ssh-keygen -lf prints it "
        + "(SHA256: and 43 characters)")
      return nil
    }
    return text
  }
}
