import RecordStream
import RosterRecords

/// Fields the mapping needs that responses lacked, counted so that each is reported
/// once per field with how often, never once per record.
final class FieldGaps {
  private struct Gap {
    var what: String
    var names: [String]
    var missing = 0
    var firstID: String
  }
  private var gaps: [String: Gap] = [:]
  private var order: [String] = []
  private var totals: [String: Int] = [:]

  /// One more `what` (e.g. "guardian") was read.
  func count(_ what: String) { totals[what, default: 0] += 1 }

  /// `what` with ID `id` had none of `names` for `key`.
  func note(_ what: String, key: String, names: [String], id: String) {
    let slot = "\(what).\(key)"
    if gaps[slot] == nil {
      gaps[slot] = Gap(what: what, names: names, firstID: id)
      order.append(slot)
    }
    gaps[slot]!.missing += 1
  }

  /// One warning per field that was ever missing, in the order first seen.
  func diagnostics(endpointOf: (String) -> String) -> [Diagnostic] {
    order.map { slot in
      let gap = gaps[slot]!
      let key = String(slot.dropFirst(gap.what.count + 1))
      let total = totals[gap.what] ?? gap.missing
      let names = gap.names.map { "\"\($0)\"" }.joined(separator: " or ")
      let settable = FieldNames.tables.contains { $0.what == gap.what && $0.fields.contains { $0.key == key } }
      let hint = settable ? " If the API spells it otherwise: --field \(gap.what).\(key)=NAME." : ""
      return Diagnostic(
        .warning, ExtractCode.missingField.rawValue,
        "\(endpointOf(gap.what)): \(gap.missing) of \(total) \(gap.what) records have no \(key) "
          + "(looked for \(names)); the first is \(gap.what) \(gap.firstID). The records carry what there is.\(hint)",
        recordType: gap.what == "guardian" ? "qs.student" : "qs.\(gap.what)", id: gap.firstID, field: key)
    }
  }
}
