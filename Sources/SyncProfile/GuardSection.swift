/// `[guard]`: how much of a file one upload may remove before the run is Held.
enum GuardSection {
  /// The default share, in percent, for students, teachers and sections.
  static let defaultPercent = 10.0

  /// File name ("students.csv") → percent. `max_removed_percent` (default 10) covers
  /// students, teachers and sections; a file's own key overrides it, and is the only way
  /// to guard enrollments, staff and schools.
  static func read(_ t: TableReader) -> [String: Double] {
    let general = percent(t, "max_removed_percent") ?? defaultPercent
    var result: [String: Double] = [:]
    for file in ProfileSchema.guardedFiles {
      let own = percent(t, file)
      if let value = own ?? (ProfileSchema.guardedByDefault.contains(file) ? general : nil) {
        result[file + ".csv"] = value
      }
    }
    return result
  }

  private static func percent(_ t: TableReader, _ key: String) -> Double? {
    guard let value = t.number(key) else { return nil }
    guard (0...100).contains(value) else {
      t.problem(key, "\(t.label(key)) must be a percentage from 0 to 100")
      return nil
    }
    return value
  }
}

/// `[retention]`: how many runs keep their artifacts.
enum RetentionSection {
  static let defaultRuns = 30

  static func read(_ t: TableReader) -> Int {
    guard let runs = t.integer("runs") else { return defaultRuns }
    guard runs >= 1 else {
      t.problem("runs", "\(t.label("runs")) must be 1 or more: the last run's artifacts are always kept")
      return defaultRuns
    }
    return runs
  }
}
