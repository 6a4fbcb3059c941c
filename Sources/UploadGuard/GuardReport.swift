import CleverFormat
import RecordStream

/// How one file changed between the last upload and the next.
public struct FileDifference: Sendable, Equatable {
  /// The file name, "students.csv".
  public let name: String
  /// Records (by the file's key) in the last upload and in the next.
  public let before: Int
  public let after: Int
  /// Keys only in the next set, only in the last, in both with different rows.
  public let added: Int
  public let removed: Int
  public let changed: Int
  /// Of `removed`, the old IDs of schools that migrated to a new ID (schools.csv only):
  /// Clever removes them, but they are not a mass deletion.
  public let migrated: Int

  public init(name: String, before: Int, after: Int, added: Int, removed: Int, changed: Int, migrated: Int = 0) {
    self.name = name
    self.before = before
    self.after = after
    self.added = added
    self.removed = removed
    self.changed = changed
    self.migrated = migrated
  }

  /// The share of the last upload's records that disappear, in percent, not counting
  /// migrated schools; 0 when the last upload had none.
  public var removedPercent: Double {
    before == 0 ? 0 : Double(removed - migrated) * 100 / Double(before)
  }
}

/// A school whose `School_id` changed: the same school (same name, or same number),
/// a new ID, as when moving from the school code to the actual QuickSchools ID
/// (mapping-rules.md, "School ID").
public struct SchoolMigration: Sendable, Equatable {
  public let oldID: String
  public let newID: String
  /// The school's name in the next set.
  public let name: String
  /// File name → records that move from the old ID to the new one (records present in
  /// both sets whose School_id was `oldID` and is `newID`); files with none are left out.
  public let moves: [String: Int]

  public init(oldID: String, newID: String, name: String, moves: [String: Int]) {
    self.oldID = oldID
    self.newID = newID
    self.name = name
    self.moves = moves
  }

  /// Says plainly what Clever will do, and that it is not a mass deletion.
  public var message: String {
    let moved = CleverFile.allCases.compactMap { file -> String? in
      guard let count = moves[file.fileName], count > 0 else { return nil }
      return Wording.count(count, file)
    }
    let moving = moved.isEmpty ? "no other records move with it" : "moving " + moved.joined(separator: ", ")
    return "School \"\(name)\" changes School_id from \"\(oldID)\" to \"\(newID)\": Clever will remove the old "
      + "school and add the new one (\(moving)). This is a migration, not a mass deletion."
  }
}

/// The guard's verdict on one upload: what changed per file, the school migrations, and
/// whether the upload must be held.
public struct GuardReport: Sendable, Equatable {
  /// In CleverSpec's file order, only files present in either set.
  public let files: [FileDifference]
  public let migrations: [SchoolMigration]
  /// No previous set: nothing to compare, never held.
  public let firstUpload: Bool
  /// The limits the report was judged by.
  public let thresholds: GuardThresholds

  public init(files: [FileDifference], migrations: [SchoolMigration], firstUpload: Bool, thresholds: GuardThresholds) {
    self.files = files
    self.migrations = migrations
    self.firstUpload = firstUpload
    self.thresholds = thresholds
  }

  /// Whether a file's removals exceed its limit.
  public func isOverThreshold(_ file: FileDifference) -> Bool {
    guard !firstUpload, let limit = thresholds.limit(for: file.name) else { return false }
    return file.removedPercent > limit
  }

  /// Some file's removedPercent is over its threshold.
  public var held: Bool { files.contains(where: isOverThreshold) }

  /// One line per file over its threshold:
  /// "students.csv: 12 of 40 students removed (30.0%), more than the 10% allowed".
  public var reasons: [String] {
    files.filter(isOverThreshold).map { file in
      let limit = thresholds.limit(for: file.name)!
      let noun = CleverFile(fileName: file.name).map { Wording.noun($0, file.before) } ?? "records"
      return "\(file.name): \(file.removed - file.migrated) of \(file.before) \(noun) removed "
        + "(\(Wording.percent(file.removedPercent, against: limit))), more than the \(Wording.number(limit))% allowed"
    }
  }

  /// The report as one JSON object (run summaries, notifications): `held`,
  /// `firstUpload`, `reasons`, `files` (each with its counts, `removedPercent`,
  /// `maximumRemovedPercent` or null, `overThreshold`), `migrations` (each with
  /// `oldID`, `newID`, `name`, `moves`, `message`).
  public var json: String { JSONWriter.string(.object(jsonObject)) }

  public var jsonObject: JSONObject {
    var object = JSONObject()
    object.append("held", .bool(held))
    object.append("firstUpload", .bool(firstUpload))
    object.append("reasons", .array(reasons.map { .string($0) }))
    object.append(
      "files",
      .array(
        files.map { file in
          var entry = JSONObject()
          entry.append("name", .string(file.name))
          for (key, count) in [
            ("before", file.before), ("after", file.after), ("added", file.added), ("removed", file.removed),
            ("changed", file.changed), ("migrated", file.migrated),
          ] {
            entry.append(key, .number(String(count)))
          }
          entry.append("removedPercent", .number(String(file.removedPercent)))
          entry.append("maximumRemovedPercent", thresholds.limit(for: file.name).map { .number(String($0)) } ?? .null)
          entry.append("overThreshold", .bool(isOverThreshold(file)))
          return .object(entry)
        }))
    object.append(
      "migrations",
      .array(
        migrations.map { migration in
          var entry = JSONObject()
          entry.append("oldID", .string(migration.oldID))
          entry.append("newID", .string(migration.newID))
          entry.append("name", .string(migration.name))
          var moves = JSONObject()
          for file in CleverFile.allCases {
            if let count = migration.moves[file.fileName] { moves.append(file.fileName, .number(String(count))) }
          }
          entry.append("moves", .object(moves))
          entry.append("message", .string(migration.message))
          return .object(entry)
        }))
    return object
  }

  /// A table for people (file, before, after, added, removed, changed, removed %,
  /// limit), then the migrations, then the verdict.
  public var text: String {
    let header = ["file", "before", "after", "added", "removed", "changed", "removed %", "limit", ""]
    var rows = [header]
    for file in files {
      let limit = thresholds.limit(for: file.name).map { Wording.number($0) + "%" } ?? "none"
      rows.append([
        file.name, String(file.before), String(file.after), String(file.added), String(file.removed),
        String(file.changed), firstUpload ? "-" : Wording.percent(file.removedPercent, against: nil), limit,
        isOverThreshold(file) ? "OVER" : "",
      ])
    }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    var lines = rows.map { row in
      var line = ""
      for (column, value) in row.enumerated() {
        let pad = String(repeating: " ", count: widths[column] - value.count)
        if column == 0 {
          line += value + pad
        } else {
          line += "  " + (column == row.count - 1 ? value : pad + value)
        }
      }
      while line.hasSuffix(" ") { line.removeLast() }
      return line
    }
    for migration in migrations { lines.append("Migration: " + migration.message) }
    if firstUpload {
      lines.append("First upload: nothing to compare with; not held.")
    } else if held {
      lines.append("Held: the upload removes too much.")
      lines += reasons.map { "  " + $0 }
    } else {
      lines.append("Not held: every file within its limit.")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// Counts, nouns and percentages in messages.
enum Wording {
  static func noun(_ file: CleverFile, _ count: Int) -> String {
    switch file {
    case .staff: "staff"
    default: count == 1 ? String(file.rawValue.dropLast()) : file.rawValue
    }
  }

  static func count(_ count: Int, _ file: CleverFile) -> String { "\(count) \(noun(file, count))" }

  /// 10 → "10", 12.5 → "12.5".
  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  /// One decimal ("30.0%"); more when one decimal would show a share over `limit` as
  /// equal to it (10.04% against 10% shows as "10.04%", not "10.0%").
  static func percent(_ value: Double, against limit: Double?) -> String {
    for decimals in 1...4 {
      let text = fixed(value, decimals)
      if let limit, value > limit, let shown = Double(text), shown <= limit, decimals < 4 { continue }
      return text + "%"
    }
    return fixed(value, 4) + "%"
  }

  static func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * Double(scale)).rounded())
    let whole = scaled / scale
    var fraction = String(scaled % scale)
    while fraction.count < decimals { fraction = "0" + fraction }
    return "\(whole).\(fraction)"
  }
}
