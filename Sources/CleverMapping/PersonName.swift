import CleverFormat

/// A person's first and last name; one known only by a full name is split at the last
/// space (mapping-rules.md, "Other fields" [ours]), and the caller warns that it was.
public struct PersonName: Sendable, Equatable {
  public var first: String
  public var last: String
  /// True when the name came from splitting a full name.
  public var wasSplit = false

  public init(first: String, last: String, full: String) {
    let first = first.trimmingASCIISpaces(), last = last.trimmingASCIISpaces()
    if !first.isEmpty || !last.isEmpty {
      self.first = first
      self.last = last
      return
    }
    let full = full.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    if let space = full.lastIndex(of: " ") {
      self.first = String(full[..<space])
      self.last = String(full[full.index(after: space)...])
    } else {
      // One word: it is the last name; Clever also needs a first name, which the
      // validator reports.
      self.first = ""
      self.last = full
    }
    wasSplit = !full.isEmpty
  }
}
