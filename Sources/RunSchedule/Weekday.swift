/// A day of the week. Raw values are Foundation's `Calendar` weekday numbers (Sunday is 1);
/// cases are declared Monday first, the order descriptions list them in.
public enum Weekday: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
  case monday = 2, tuesday = 3, wednesday = 4, thursday = 5, friday = 6, saturday = 7, sunday = 1

  /// Monday to Friday.
  public static let workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

  /// Reads a three-letter or full English name, in any case ("mon", "Monday", "MON").
  public init?(name: String) {
    let lowered = name.lowercased()
    guard let day = Weekday.allCases.first(where: { $0.fullName == lowered || $0.description == lowered }) else {
      return nil
    }
    self = day
  }

  /// The three-letter lower-case name ("mon"), as `weekly:` descriptions use it.
  public var description: String { String(fullName.prefix(3)) }

  /// The full lower-case name ("monday").
  public var fullName: String {
    switch self {
    case .monday: "monday"
    case .tuesday: "tuesday"
    case .wednesday: "wednesday"
    case .thursday: "thursday"
    case .friday: "friday"
    case .saturday: "saturday"
    case .sunday: "sunday"
    }
  }

  /// Position Monday = 0 ... Sunday = 6.
  var mondayIndex: Int { Weekday.allCases.firstIndex(of: self)! }

  public static func < (a: Weekday, b: Weekday) -> Bool { a.mondayIndex < b.mondayIndex }
}
