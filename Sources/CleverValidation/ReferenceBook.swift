import CleverFormat

/// Rows waiting on a row they name that has not been seen yet (clever-map writes
/// schools last, so every row waits on its school until the end).
///
/// Only the first `keep` places per target are held, with a count of the rest, so the
/// memory is IDs and a few places, not rows.
struct ReferenceBook {
  struct Referrer {
    let file: CleverFile
    let source: String
    let line: Int
    let id: String
    let column: String
    let rows: Int
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
    waiting[target]!.rows[referrer.file, default: 0] += referrer.rows
    if waiting[target]!.referrers.count < keep { waiting[target]!.referrers.append(referrer) }
  }
}
