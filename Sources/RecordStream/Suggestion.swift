/// "did you mean …?" for a mistyped name (a profile's key or table, a command-line
/// option): the closest known name, if it is close enough to be what was meant (case,
/// `-` for `_`, or up to two letters off, a swapped pair counting as one).
public enum Suggestion {
  public static func closest(to typed: String, among known: [String]) -> String? {
    let wanted = normalized(typed)
    let limit = wanted.count <= 4 ? 1 : 2
    let scored = known.map { (name: $0, distance: distance(wanted, normalized($0))) }
    guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= limit else { return nil }
    return best.name
  }

  public static func hint(for typed: String, among known: [String]) -> String {
    closest(to: typed, among: known).map { "; did you mean \($0)?" } ?? ""
  }

  public static func normalized(_ name: String) -> [Character] {
    Array(name.lowercased().map { $0 == "-" ? "_" : $0 })
  }

  /// Edit distance with adjacent transpositions (optimal string alignment): `form` is one
  /// edit from `from`, where plain Levenshtein puts it two away, as far as `term`.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var beforePrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + [Int](repeating: 0, count: b.count)
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], beforePrevious[j - 2] + 1)
        }
      }
      beforePrevious = previous
      previous = current
    }
    return previous[b.count]
  }
}
