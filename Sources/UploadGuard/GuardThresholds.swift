import CleverFormat

/// How much of each file may disappear between two uploads before a run is held
/// (issue 6, point 6).
public struct GuardThresholds: Sendable, Equatable {
  /// Largest share of a file's records that may disappear, in percent, by file name
  /// ("students.csv"...). A file without an entry has no limit.
  public var maximumRemovedPercent: [String: Double]

  /// 10% for students, teachers and sections; no limit for schools, enrollments, staff.
  public static let defaultLimits: [String: Double] = [
    CleverFile.students.fileName: 10, CleverFile.teachers.fileName: 10, CleverFile.sections.fileName: 10,
  ]

  /// The defaults, with `overrides` put over them. Names are matched without regard to
  /// case, and ".csv" may be left out ("students" is "students.csv"). To lift a default
  /// limit, set its entry to nil in `maximumRemovedPercent`.
  public init(_ overrides: [String: Double] = [:]) {
    var limits = Self.defaultLimits
    for (name, percent) in overrides { limits[Self.fileName(name)] = percent }
    maximumRemovedPercent = limits
  }

  /// The limit of a file, by name ("students.csv" or "students"); nil for no limit.
  public func limit(for name: String) -> Double? { maximumRemovedPercent[Self.fileName(name)] }

  /// What is wrong with these limits, one line each, for a configuration check: a name
  /// that is not a Clever file, a limit that is not a number from 0 to 100.
  public var problems: [String] {
    maximumRemovedPercent.keys.sorted().compactMap { name in
      let percent = maximumRemovedPercent[name]!
      if CleverFile(fileName: name) == nil {
        let known = CleverFile.allCases.map(\.fileName).joined(separator: ", ")
        return "\(name) is not a Clever file (\(known))"
      }
      if !(percent >= 0 && percent <= 100) {
        return "\(name): the removal limit must be a percentage from 0 to 100, not \(percent)"
      }
      return nil
    }
  }

  /// "Students" and "students" are "students.csv".
  static func fileName(_ name: String) -> String {
    let lower = name.lowercased()
    return lower.hasSuffix(".csv") ? lower : lower + ".csv"
  }
}
