import RunSchedule

/// `[[blackout]]`: periods, in the profile's time zone, when scheduled runs are skipped.
enum BlackoutSection {
  /// One Blackout a table: `from` required, `to` (default: `from`, one day) not before
  /// it, `name` (default "blackout N") shown in the history of skipped runs.
  static func read(_ tables: [TableReader]) -> [Blackout] {
    tables.enumerated().compactMap { (index, t) in
      t.checkUnknownKeys()
      let name = t.string("name") ?? "blackout \(index + 1)"
      let first = t.date("from", required: true)
      let last = t.date("to") ?? (t.has("to") ? nil : first)
      guard let first, let last else { return nil }
      do {
        return try Blackout(name: name, first: first, last: last)
      } catch {
        t.problem("to", "\(t.label("to")) \(last) is before from \(first)")
        return nil
      }
    }
  }
}
