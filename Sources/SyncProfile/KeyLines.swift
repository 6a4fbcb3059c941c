/// The line of each key and table header in a TOML text.
///
/// TOMLKit gives a line only for syntax errors, not for the values it parsed, so the
/// lines of keys are found here by reading the text again. The file already parsed, so
/// this only needs to follow headers, `key =` lines (dotted and quoted keys too) and
/// multi-line strings (whose lines are not keys). Paths are key names from the root; an
/// element of an array of tables adds its index: ["blackout", "1", "from"].
struct KeyLines {
  private var lines: [[String]: Int] = [:]

  init(text: String) {
    var table: [String] = []
    var arrayCounts: [[String]: Int] = [:]  // [[name]] headers seen so far, by path
    var openString: String?  // the closing delimiter of a multi-line string we are in
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = index + 1
      var line = Substring(raw)
      if let delimiter = openString {
        guard let end = line.range(of: delimiter) else { continue }
        openString = nil
        line = line[end.upperBound...]
        continue  // a value cannot start a new key on the line that ends it
      }
      line = line.drop(while: { $0 == " " || $0 == "\t" })
      if line.hasPrefix("[[") {
        guard let name = Self.keyPath(line.dropFirst(2), until: "]") else { continue }
        let path = Self.withIndexes(name, arrayCounts)
        let count = arrayCounts[path, default: 0]
        arrayCounts[path] = count + 1
        table = path + ["\(count)"]
        record(table, number)
      } else if line.hasPrefix("[") {
        guard let name = Self.keyPath(line.dropFirst(), until: "]") else { continue }
        table = Self.withIndexes(name, arrayCounts)
        record(table, number)
      } else if let key = Self.keyPath(line, until: "="), let equals = line.firstIndex(of: "=") {
        record(table + key, number)
        openString = Self.unclosedMultilineString(in: line[line.index(after: equals)...])
      }
    }
  }

  /// The line of the key or table at `path`; for a path with no line of its own (a key
  /// inside an inline table, a table made by a dotted key), the nearest enclosing one.
  func line(of path: [String]) -> Int? {
    var path = path
    while !path.isEmpty {
      if let line = lines[path] { return line }
      path.removeLast()
    }
    return nil
  }

  /// The first line wins, as the first definition is the one a reader looks for; every
  /// enclosing path is given the line too, unless it has one.
  private mutating func record(_ path: [String], _ number: Int) {
    for end in stride(from: path.count, to: 0, by: -1) where lines[Array(path[..<end])] == nil {
      lines[Array(path[..<end])] = number
    }
  }

  /// In `[[blackout]]` … `[blackout.extra]`, a sub-table belongs to the array's last
  /// element: each enclosing name that is an array of tables gets that element's index.
  private static func withIndexes(_ name: [String], _ arrays: [[String]: Int]) -> [String] {
    var result: [String] = []
    for (position, part) in name.enumerated() {
      result.append(part)
      if position < name.count - 1, let count = arrays[result] { result.append("\(count - 1)") }
    }
    return result
  }

  /// A dotted key (`a."b c".d`) followed by `terminator`; nil if the text is not one.
  static func keyPath(_ text: Substring, until terminator: Character) -> [String]? {
    var parts: [String] = []
    var rest = text
    while true {
      rest = rest.drop(while: { $0 == " " || $0 == "\t" })
      guard let first = rest.first else { return nil }
      if first == "\"" || first == "'" {
        let body = rest.dropFirst()
        guard let close = body.firstIndex(of: first) else { return nil }
        parts.append(String(body[..<close]))
        rest = body[body.index(after: close)...]
      } else {
        let bare = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        guard !bare.isEmpty else { return nil }
        parts.append(String(bare))
        rest = rest.dropFirst(bare.count)
      }
      rest = rest.drop(while: { $0 == " " || $0 == "\t" })
      if rest.first == "." {
        rest = rest.dropFirst()
      } else {
        return rest.first == terminator ? parts : nil
      }
    }
  }

  /// The closing delimiter if a `"""` or `'''` string opens in `value` and does not close.
  static func unclosedMultilineString(in value: Substring) -> String? {
    let start = value.drop(while: { $0 == " " || $0 == "\t" })
    for delimiter in ["\"\"\"", "'''"] where start.hasPrefix(delimiter) {
      return start.dropFirst(3).contains(delimiter) ? nil : delimiter
    }
    return nil
  }
}
