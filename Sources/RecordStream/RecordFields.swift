/// Typed access to a record's keys, with the stream's rules: values are strings unless
/// the contract says otherwise, and a missing key and `""` mean the same.
extension JSONObject {
  /// The string at `key`, "" when missing or null; a RecordError for any other kind.
  public func string(_ key: String) throws(RecordError) -> String {
    switch self[key] {
    case nil, .null?: return ""
    case .string(let s)?: return s
    case let other?: throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be a string, got \(other.kindName)", field: key)
    }
  }

  /// The boolean at `key`, `false` when missing or null.
  public func bool(_ key: String) throws(RecordError) -> Bool {
    switch self[key] {
    case nil, .null?: return false
    case .bool(let b)?: return b
    case let other?: throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be true or false, got \(other.kindName)", field: key)
    }
  }

  /// The whole number at `key`, 0 when missing or null.
  public func count(_ key: String) throws(RecordError) -> Int {
    switch self[key] {
    case nil, .null?: return 0
    case .number(let text)?:
      guard let value = Int(text) ?? Double(text).flatMap({ $0.rounded() == $0 ? Int(exactly: $0) : nil }) else {
        throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be a whole number, got \(text)", field: key)
      }
      return value
    case let other?: throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be a number, got \(other.kindName)", field: key)
    }
  }

  /// The number at `key`, 0 when missing or null.
  public func number(_ key: String) throws(RecordError) -> Double {
    switch self[key] {
    case nil, .null?: return 0
    case .number(let text)?: return Double(text) ?? 0
    case let other?: throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be a number, got \(other.kindName)", field: key)
    }
  }

  /// The array at `key`, empty when missing or null.
  public func array(_ key: String) throws(RecordError) -> [JSONValue] {
    switch self[key] {
    case nil, .null?: return []
    case .array(let a)?: return a
    case let other?: throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be an array, got \(other.kindName)", field: key)
    }
  }

  /// An array of strings at `key`.
  public func strings(_ key: String) throws(RecordError) -> [String] {
    var result: [String] = []
    for (index, element) in try array(key).enumerated() {
      guard case .string(let s) = element else {
        throw RecordError("E_FIELD_TYPE", "\"\(key)\"[\(index)] must be a string, got \(element.kindName)", field: key)
      }
      result.append(s)
    }
    return result
  }

  /// An array of objects at `key`.
  public func objects(_ key: String) throws(RecordError) -> [JSONObject] {
    var result: [JSONObject] = []
    for (index, element) in try array(key).enumerated() {
      guard case .object(let o) = element else {
        throw RecordError("E_FIELD_TYPE", "\"\(key)\"[\(index)] must be an object, got \(element.kindName)", field: key)
      }
      result.append(o)
    }
    return result
  }
}

/// The same rules for a value already in hand (single-pass decoding).
extension JSONValue {
  public func text(_ key: String) throws(RecordError) -> String {
    switch self {
    case .null: return ""
    case .string(let s): return s
    default: throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be a string, got \(kindName)", field: key)
    }
  }

  public func flag(_ key: String) throws(RecordError) -> Bool {
    switch self {
    case .null: return false
    case .bool(let b): return b
    default: throw RecordError("E_FIELD_TYPE", "\"\(key)\" must be true or false, got \(kindName)", field: key)
    }
  }
}
