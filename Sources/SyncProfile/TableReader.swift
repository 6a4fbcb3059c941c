import RecordStream
import RunSchedule
import TOMLKit

/// Typed reading of one table of the profile. A value of the wrong type, or out of its
/// range, is logged at its key's line and read as absent, so reading goes on and later
/// checks still run; `checkUnknownKeys` then reports what the schema does not know.
struct TableReader {
  let table: TOMLTable
  /// Where the table is, for lines: [], ["sftp"], ["blackout", "0"].
  let path: [String]
  /// Its schema name: "", "sftp", "blackout".
  let schema: String
  let log: ProblemLog

  /// How messages name a key: "time_zone", "[sftp] verify", "[[blackout]] from".
  func label(_ key: String) -> String {
    if schema.isEmpty { return key }
    return ProfileSchema.tableArrays.contains(schema) ? "[[\(schema)]] \(key)" : "[\(schema)] \(key)"
  }

  /// The table itself as messages name it: "[sftp]".
  var tableLabel: String { ProfileSchema.tableArrays.contains(schema) ? "[[\(schema)]]" : "[\(schema)]" }

  func problem(_ key: String?, _ message: String) {
    log.report(at: key.map { path + [$0] } ?? path, message)
  }

  func has(_ key: String) -> Bool { value(key) != nil }

  /// The raw value; every typed read goes through here, and only known keys may be read.
  private func value(_ key: String) -> TOMLValueConvertible? {
    assert(ProfileSchema.keys[schema]?.contains(key) == true, "\(key) is not in ProfileSchema.keys[\(schema)]")
    return table[key]
  }

  private func typed<T>(_ key: String, _ expected: String, _ convert: (TOMLValueConvertible) -> T?) -> T? {
    guard let raw = value(key) else { return nil }
    guard let result = convert(raw) else {
      problem(key, "\(label(key)) must be \(expected), not \(Self.describe(raw.type))")
      return nil
    }
    return result
  }

  /// A string, which may not be empty (an empty value is a mistake, not "unset").
  func string(_ key: String, required: Bool = false) -> String? {
    guard let text = typed(key, "a string", { $0.string }) else {
      if required, !has(key) { missing(key) }
      return nil
    }
    guard !text.isEmpty else {
      problem(key, "\(label(key)) is empty: give a value, or leave the key out")
      return nil
    }
    return text
  }

  func bool(_ key: String) -> Bool? { typed(key, "true or false", { $0.bool }) }

  /// An integer or a float (`rate = 4` and `rate = 2.5` both read).
  func number(_ key: String) -> Double? {
    typed(key, "a number", { $0.int.map(Double.init) ?? $0.double })
  }

  func integer(_ key: String) -> Int? { typed(key, "a whole number", { $0.int }) }

  /// A path: `~` expanded, a relative one put under the profile's folder.
  func path(_ key: String, required: Bool = false) -> String? {
    guard let text = string(key, required: required) else { return nil }
    guard let resolved = ProfilePath.resolved(text, in: log.folder, home: log.home) else {
      problem(key, "\(label(key)) starts with ~ but HOME is not set: write the full path")
      return nil
    }
    return resolved
  }

  /// The name of an environment variable; a value that cannot be one is most likely the
  /// secret itself, so it is refused without being repeated.
  func variableName(_ key: String) -> String? {
    guard let name = string(key) else { return nil }
    let valid = name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
      && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    guard valid else {
      problem(key, "\(label(key)) must be the name of an environment variable (letters, digits and _), "
        + "not the secret itself: put the secret in that variable")
      return nil
    }
    return name
  }

  /// An array of strings (each one non-empty).
  func strings(_ key: String) -> [String]? {
    guard let array = typed(key, "an array of strings", { $0.array }) else { return nil }
    var result: [String] = []
    for element in array {
      guard let text = element.string, !text.isEmpty else {
        problem(key, "\(label(key)) must hold only strings, none empty; found \(Self.describe(element.type, empty: element.string != nil))")
        return nil
      }
      result.append(text)
    }
    return result
  }

  /// A calendar date: a TOML local date (2026-06-15) or a string ("2026-06-15").
  func date(_ key: String, required: Bool = false) -> LocalDate? {
    guard let raw = value(key) else {
      if required { missing(key) }
      return nil
    }
    do {
      if let date = raw.date { return try LocalDate(year: date.year, month: date.month, day: date.day) }
      if let text = raw.string { return try LocalDate(parsing: text) }
    } catch {
      problem(key, "\(label(key)): \(error.description)")
      return nil
    }
    problem(key, "\(label(key)) must be a date (2026-06-15), not \(Self.describe(raw.type))")
    return nil
  }

  /// A sub-table that must be a table (`[sftp]`), or nil with a problem if it is not.
  func table(_ key: String) -> TableReader? {
    guard let raw = table[key] else { return nil }
    guard let sub = raw.table else {
      problem(key, "\(key) must be a table, written [\(key)] on a line of its own, not \(Self.describe(raw.type))")
      return nil
    }
    return TableReader(table: sub, path: path + [key], schema: key, log: log)
  }

  /// An array of tables (`[[blackout]]`), element by element.
  func tableArray(_ key: String) -> [TableReader] {
    guard let raw = table[key] else { return [] }
    guard let array = raw.array, array.allSatisfy({ $0.table != nil }) else {
      problem(key, "\(key) must be written as [[\(key)]] tables, one per \(key), not \(Self.describe(raw.type))")
      return []
    }
    return array.enumerated().map { TableReader(table: $1.table!, path: path + [key, "\($0)"], schema: key, log: log) }
  }

  func missing(_ key: String) {
    problem(nil, "\(label(key)) is missing")
  }

  /// Every key the schema does not know: a secret written in, or a mistake (with the
  /// nearest known name). At the top level, unknown tables too.
  func checkUnknownKeys() {
    let known = ProfileSchema.keys[schema] ?? []
    let knownTables = schema.isEmpty ? ProfileSchema.tables + ProfileSchema.tableArrays : []
    for key in table.keys where !known.contains(key) && !knownTables.contains(key) {
      if let advice = SecretKey.advice(key: key, table: schema) {
        problem(key, advice)
      } else if schema.isEmpty, table[key]?.table != nil || table[key]?.array?.first?.table != nil {
        let near = Suggestion.closest(to: key, among: knownTables)
        let written = near.map { ProfileSchema.tableArrays.contains($0) ? "[[\($0)]]" : "[\($0)]" }
        problem(key, "unknown table [\(key)]" + (written.map { "; did you mean \($0)?" } ?? ""))
      } else {
        problem(key, "unknown key \(label(key))" + Suggestion.hint(for: key, among: known + knownTables))
      }
    }
  }

  /// "a string", "an integer", … for messages.
  static func describe(_ type: TOMLType, empty: Bool = false) -> String {
    if empty { return "an empty string" }
    switch type {
    case .string: return "a string"
    case .int: return "an integer"
    case .double: return "a float"
    case .bool: return "a boolean"
    case .array: return "an array"
    case .table: return "a table"
    case .date: return "a date"
    case .time: return "a time"
    case .dateTime: return "a date-time"
    }
  }
}
