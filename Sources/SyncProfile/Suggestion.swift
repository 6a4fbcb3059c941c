/// "did you mean …?" for a mistyped key or table name: the closest known name, if it is
/// close enough to be what was meant (case, `-` for `_`, or up to two letters off).
enum Suggestion {
  static func closest(to typed: String, among known: [String]) -> String? {
    let wanted = normalized(typed)
    let limit = wanted.count <= 4 ? 1 : 2
    let scored = known.map { (name: $0, distance: distance(wanted, normalized($0))) }
    guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= limit else { return nil }
    return best.name
  }

  static func hint(for typed: String, among known: [String]) -> String {
    closest(to: typed, among: known).map { "; did you mean \($0)?" } ?? ""
  }

  static func normalized(_ name: String) -> [Character] {
    Array(name.lowercased().map { $0 == "-" ? "_" : $0 })
  }

  /// Levenshtein distance, one row at a time.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1]
      for (j, y) in b.enumerated() {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
}
