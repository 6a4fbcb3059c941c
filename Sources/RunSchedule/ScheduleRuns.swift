import Foundation

extension Schedule {
  /// The first run strictly after `instant`, or nil when the schedule has ended.
  public func nextRun(after instant: Date) -> Date? { firstRun(from: instant, including: false) }

  /// Every run from `from` through `through`, both ends included, in order.
  public func runs(from: Date, through: Date) -> [Date] {
    var runs: [Date] = []
    var next = firstRun(from: from, including: true)
    while let run = next, run <= through {
      runs.append(run)
      next = nextRun(after: run)
    }
    return runs
  }

  /// The first run at or after `bound` (`including`), or strictly after it.
  func firstRun(from bound: Date, including: Bool) -> Date? {
    func isCandidate(_ run: Date) -> Bool { (including ? run >= bound : run > bound) && run >= firstInstant }
    switch repeatRule {
    case .once:
      return isCandidate(firstInstant) && isBeforeEnd(firstInstant) ? firstInstant : nil
    case .every(let seconds):
      // Elapsed time: whole intervals from the first run, no calendar involved.
      let elapsed = max(0, bound.timeIntervalSince(firstInstant))
      var run = firstInstant.addingTimeInterval(Double(Int(elapsed) / seconds * seconds))
      while !isCandidate(run) { run = run.addingTimeInterval(Double(seconds)) }
      return isBeforeEnd(run) ? run : nil
    case .daily, .weekdays, .weekly:
      // From the day before `bound`'s date: a slot pushed past a gap at midnight lands on
      // the next date, and looking one day early costs nothing.
      var day = max(startDate, clock.localDate(of: bound).adding(days: -1))
      // A valid rule runs at least once a week: 7 days, the early day and a spare.
      for _ in 0..<10 {
        if let until, day > until { return nil }
        if repeatRule.runs(on: day.weekday) {
          let run = clock.instant(on: day, at: wallTime)
          if isCandidate(run) { return run }
        }
        day = day.adding(days: 1)
      }
      return nil
    }
  }

  /// `until` is a local date, so a run on that date still counts.
  func isBeforeEnd(_ run: Date) -> Bool {
    guard let until else { return true }
    return clock.localDate(of: run) <= until
  }
}
