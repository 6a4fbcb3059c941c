/// A JSON value that keeps object keys in their input order, so records written back
/// out read the same, and numbers as their source text, so nothing is rounded.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The JSON name of this value's kind, for messages ("expected a string, got a number").
  public var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }

  /// A scalar as text: strings as they are, numbers as written, booleans as words.
  public var text: String? {
    switch self {
    case .string(let s): s
    case .number(let n): n
    case .bool(let b): b ? "true" : "false"
    case .null: ""
    default: nil
    }
  }
}

/// A JSON object with its keys in order. Records have a few dozen keys at most, so a
/// linear search beats hashing and keeps the order for free.
public struct JSONObject: Equatable, Sendable, Sequence {
  public private(set) var members: [(key: String, value: JSONValue)]

  public init(_ members: [(key: String, value: JSONValue)] = []) {
    self.members = members
  }

  public static func == (a: JSONObject, b: JSONObject) -> Bool {
    a.members.count == b.members.count
      && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }

  public var count: Int { members.count }
  public var keys: [String] { members.map(\.key) }

  /// The value of `key`; the last one wins when a key repeats, as in most JSON readers.
  public subscript(key: String) -> JSONValue? {
    get {
      // Lengths first: most keys differ in length, and comparing those is one load, where
      // String's == is a call (profiles of qs-extract showed it at 6%).
      let length = key.utf8.count
      var index = members.count - 1
      while index >= 0 {
        let candidate = members[index].key
        if candidate.utf8.count == length && candidate == key { return members[index].value }
        index -= 1
      }
      return nil
    }
    set {
      if let index = members.lastIndex(where: { $0.key == key }) {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append((key, newValue))
      }
    }
  }

  public mutating func append(_ key: String, _ value: JSONValue) {
    members.append((key, value))
  }

  public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
    members.makeIterator()
  }
}
