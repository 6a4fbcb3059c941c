import CleverFormat

/// What validation found in one Clever file (or one record type of a stream).
public struct FileReport: Sendable, Equatable {
  /// Rows as Clever counts them: a student has one row per contact.
  public var rows = 0
  public var records = 0
  public var errors = 0
  public var warnings = 0
  /// Rows Clever would not process: their own errors, duplicates, and rows lost with
  /// a row they name.
  public var droppedRows = 0

  public init() {}

  public func line(name: String) -> String {
    func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
    return "\(name): \(count(rows, "row")), \(count(errors, "error")), \(count(warnings, "warning")), "
      + "\(droppedRows) \(droppedRows == 1 ? "row" : "rows") Clever would drop"
  }
}
