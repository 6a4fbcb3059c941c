import CleverFormat

/// Rows waiting on a row they name that has not been seen yet (clever-map writes
/// schools last, so every row waits on its school until the end).
///
/// With a `keep` limit only the first places per target are held, with counts of the
/// rest: the memory for a district's rows waiting on their schools is IDs and a few
/// places, not rows.
struct ReferenceBook {
  struct Referrer {
    let file: CleverFile
    let source: String
    let line: Int
    /// The row's own ID ("" for an enrollment).
    let id: String
    let column: String
    let rows: Int
    /// The school the row also waits on ("" when its school was already known).
    let school: String
    /// An enrollment's section, to take it off the section's count if it is lost.
    let section: String
    /// False when the row was already rejected for its own reasons: reported for the
    /// missing row too, but not dropped a second time.
    let counted: Bool

    /// One number per row of input, to count a row lost for two reasons once.
    var key: String { "\(source)\u{0}\(line)" }
  }

  struct Waiting {
    var referrers: [Referrer] = []
    var count = 0
    var records: [CleverFile: Int] = [:]
    var rows: [CleverFile: Int] = [:]
  }

  let keep: Int
  private(set) var waiting: [String: Waiting] = [:]
  private(set) var order: [String] = []

  init(keep: Int) { self.keep = keep }

  mutating func add(target: String, _ referrer: Referrer) {
    if waiting[target] == nil { order.append(target) }
    waiting[target, default: Waiting()].count += 1
    waiting[target]!.records[referrer.file, default: 0] += 1
    if referrer.counted { waiting[target]!.rows[referrer.file, default: 0] += referrer.rows }
    if waiting[target]!.referrers.count < keep { waiting[target]!.referrers.append(referrer) }
  }
}
