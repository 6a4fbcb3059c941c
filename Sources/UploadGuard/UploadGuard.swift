import CleverFormat
import RecordStream

/// Compares the Clever CSV set about to be uploaded with the last one uploaded, so that a
/// partial extract never wipes a district's roster (issue 6, point 6).
///
/// Records are compared by their file's key (CleverFile.idColumn; an enrollment by its
/// section and student): a key only in the next set is added, only in the last removed,
/// in both with different rows changed. A student's contact rows, and a staff member's
/// school rows, are one record; their order does not matter. Only keys and row hashes
/// are held, never rows.
///
/// A school whose `School_id` changed (an ID gone, a new one present, with the same
/// School_number when both have one, or else the same School_name) is a migration:
/// reported with the records it moves, and its old row's removal never holds a run.
public enum UploadGuard {
  /// `previous` and `next` are directories holding a Clever CSV set; `previous` nil =
  /// first upload (nothing to compare, never held). Throws a StageFailure naming the
  /// file and line for an unreadable file or bad CSV.
  public static func compare(previous: String?, next: String, thresholds: GuardThresholds) throws -> GuardReport {
    var schoolIDs = SchoolIDs()
    let after = try SetDigest.read(directory: next, role: "next", schoolIDs: &schoolIDs)
    guard let previous else {
      let files = CleverFile.allCases.compactMap { file in
        after.files[file].map {
          FileDifference(
            name: file.fileName, before: 0, after: $0.records.count, added: $0.records.count, removed: 0, changed: 0)
        }
      }
      return GuardReport(files: files, migrations: [], firstUpload: true, thresholds: thresholds)
    }
    let before = try SetDigest.read(directory: previous, role: "previous", schoolIDs: &schoolIDs)
    return compare(before, after, schoolIDs: schoolIDs, thresholds: thresholds)
  }

  static func compare(_ before: SetDigest, _ after: SetDigest, schoolIDs: SchoolIDs, thresholds: GuardThresholds)
    -> GuardReport
  {
    let pairs = migrations(before.files[.schools], after.files[.schools])
    // Interned old ID → (index in pairs, interned new ID).
    var byOldSchool: [Int32: [(pair: Int, new: Int32)]] = [:]
    for (index, pair) in pairs.enumerated() {
      if let old = schoolIDs.index(of: pair.old), let new = schoolIDs.index(of: pair.new) {
        byOldSchool[old, default: []].append((index, new))
      }
    }
    var moves = Array(repeating: [String: Int](), count: pairs.count)
    var files: [FileDifference] = []
    for file in CleverFile.allCases {
      let old = before.files[file]
      let new = after.files[file]
      guard old != nil || new != nil else { continue }
      let oldRecords = old?.records ?? [:]
      let newRecords = new?.records ?? [:]
      var removed = 0
      var changed = 0
      var moved = Array(repeating: 0, count: pairs.count)
      for (key, was) in oldRecords {
        guard let now = newRecords[key] else {
          removed += 1
          continue
        }
        guard now.rows != was.rows else { continue }
        changed += 1
        guard !byOldSchool.isEmpty, file != .schools else { continue }
        // Moved: was in the old school and not the new, is in the new and not the old.
        for school in [was.school] + was.otherSchools where !now.belongs(to: school) {
          for candidate in byOldSchool[school] ?? [] where now.belongs(to: candidate.new) && !was.belongs(to: candidate.new) {
            moved[candidate.pair] += 1
          }
        }
      }
      for (index, count) in moved.enumerated() where count > 0 { moves[index][file.fileName] = count }
      let kept = oldRecords.count - removed
      files.append(
        FileDifference(
          name: file.fileName, before: oldRecords.count, after: newRecords.count, added: newRecords.count - kept,
          removed: removed, changed: changed, migrated: file == .schools ? pairs.count : 0))
    }
    let reported = pairs.enumerated().map { index, pair in
      SchoolMigration(oldID: pair.old, newID: pair.new, name: pair.name, moves: moves[index])
    }
    return GuardReport(files: files, migrations: reported, firstUpload: false, thresholds: thresholds)
  }

  /// Pairs each school ID that disappeared with the new ID of the same school: first by
  /// School_number (when both rows have one), then by School_name (ignoring case and
  /// surrounding spaces). Only unambiguous pairs count: two candidates are no match.
  static func migrations(_ before: FileDigest?, _ after: FileDigest?) -> [(old: String, new: String, name: String)] {
    guard let before, let after else { return [] }
    var gone = before.schools.keys.filter { after.records[$0] == nil }.sorted()
    var appeared = Set(after.schools.keys.filter { before.records[$0] == nil })
    var pairs: [(old: String, new: String, name: String)] = []

    func match(_ property: (_ school: (name: String, number: String)) -> String) {
      var candidates: [String: [String]] = [:]
      for id in appeared {
        let value = property(after.schools[id]!)
        if !value.isEmpty { candidates[value, default: []].append(id) }
      }
      var oldByValue: [String: Int] = [:]
      for id in gone {
        let value = property(before.schools[id]!)
        if !value.isEmpty { oldByValue[value, default: 0] += 1 }
      }
      var unmatched: [String] = []
      for id in gone {
        let value = property(before.schools[id]!)
        guard !value.isEmpty, oldByValue[value] == 1, let ids = candidates[value], ids.count == 1 else {
          unmatched.append(id)
          continue
        }
        let new = ids[0]
        pairs.append((id, new, after.schools[new]!.name))
        appeared.remove(new)
      }
      gone = unmatched
    }
    match { trimmed($0.number) }
    match { trimmed($0.name).lowercased() }
    return pairs.sorted { ($0.name, $0.old) < ($1.name, $1.old) }
  }

  static func trimmed(_ text: String) -> String {
    var scalars = Substring(text).unicodeScalars
    while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
