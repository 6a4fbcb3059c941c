/// Where profiles live, and how paths written in them are read.
extension SyncProfile {
  /// Where a profile named NAME lives: `$CLEVER_SYNC_CONFIG_DIR/NAME.toml`, else
  /// `~/.config/clever-sync/NAME.toml`. A NAME containing "/" or ending in ".toml" is a
  /// path already (`~` expanded), so `--profile ./test.toml` works.
  public static func locate(_ name: String, environment: [String: String]) -> String {
    if isPath(name) { return ProfilePath.expandingTilde(name, home: environment["HOME"]) ?? name }
    let folder = nonEmpty(environment["CLEVER_SYNC_CONFIG_DIR"])
      ?? (nonEmpty(environment["HOME"]) ?? "~") + "/.config/clever-sync"
    return ProfilePath.joined(folder, name + ".toml")
  }

  /// The profile name that `--profile VALUE` means: VALUE itself, or for a path its file
  /// name without ".toml" ("/etc/clever-sync/lincoln.toml" → "lincoln").
  public static func profileName(_ nameOrPath: String) -> String {
    guard isPath(nameOrPath) else { return nameOrPath }
    let file = nameOrPath.split(separator: "/").last.map(String.init) ?? nameOrPath
    return file.hasSuffix(".toml") ? String(file.dropLast(5)) : file
  }

  /// The state directory when the profile sets none: `$CLEVER_SYNC_STATE_DIR/NAME`, else
  /// `~/.local/state/clever-sync/NAME`; nil when neither variable is set.
  public static func defaultStateDirectory(name: String, environment: [String: String]) -> String? {
    if let root = nonEmpty(environment["CLEVER_SYNC_STATE_DIR"]) { return ProfilePath.joined(root, name) }
    guard let home = nonEmpty(environment["HOME"]) else { return nil }
    return ProfilePath.joined(home, ".local/state/clever-sync/\(name)")
  }

  static func isPath(_ name: String) -> Bool { name.contains("/") || name.hasSuffix(".toml") }
}

func nonEmpty(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }

/// Paths in a profile: `~` is the user's home, and a relative path is relative to the
/// folder of the profile file, not to wherever the daemon happens to run.
enum ProfilePath {
  /// `~` and `~/x` with HOME; nil when HOME is needed and not set. `~user` is left alone
  /// (it is a relative path to a folder named so).
  static func expandingTilde(_ path: String, home: String?) -> String? {
    guard path == "~" || path.hasPrefix("~/") else { return path }
    guard let home = nonEmpty(home) else { return nil }
    return path == "~" ? home : joined(home, String(path.dropFirst(2)))
  }

  /// `path` made absolute: `~` expanded, then a relative path put under `folder`.
  static func resolved(_ path: String, in folder: String, home: String?) -> String? {
    guard let expanded = expandingTilde(path, home: home) else { return nil }
    if expanded.hasPrefix("/") { return expanded }
    var relative = Substring(expanded)
    while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
    return relative.isEmpty || relative == "." ? folder : joined(folder, String(relative))
  }

  static func joined(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// The folder holding `file`, which is absolute.
  static func folder(of file: String) -> String {
    guard let slash = file.lastIndex(of: "/") else { return "." }
    return slash == file.startIndex ? "/" : String(file[..<slash])
  }
}
