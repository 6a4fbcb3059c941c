import RecordStream

public enum Severity: String, Sendable {
  case warning
  case error
}

/// One finding about the input, for people (stderr) and, on request, for machines
/// (NDJSON records of type `diagnostic`, records.md).
public struct Diagnostic: Sendable, Equatable {
  public var severity: Severity
  public var code: String
  public var message: String
  public var file: String?
  public var line: Int?
  public var recordType: String?
  public var id: String?
  public var field: String?
  public var value: String?

  public init(
    _ severity: Severity, _ code: String, _ message: String, file: String? = nil, line: Int? = nil,
    recordType: String? = nil, id: String? = nil, field: String? = nil, value: String? = nil
  ) {
    self.severity = severity
    self.code = code
    self.message = message
    self.file = file
    self.line = line
    self.recordType = recordType
    self.id = id
    self.field = field
    self.value = value
  }

  /// `file:line: severity: [CODE] message`, the form compilers and jq use.
  public func formatted(stage: String) -> String {
    var text = stage + ": "
    if let file {
      text += file
      if let line { text += ":\(line)" }
      text += ": "
    }
    return text + "\(severity.rawValue): [\(code)] \(message)"
  }

  public static let type = "diagnostic"
  public static let keys = ["severity", "code", "message", "line", "file", "recordType", "id", "field", "value"]

  /// A `diagnostic` record read back (clever-sync reads its stages' files).
  public init(object: JSONObject) throws(RecordError) {
    guard let severity = Severity(rawValue: try object.string("severity")) else {
      throw RecordError("E_FIELD_TYPE", "\"severity\" must be warning or error", field: "severity")
    }
    func optional(_ key: String) throws(RecordError) -> String? {
      object[key] == nil ? nil : try object.string(key)
    }
    self.init(severity, try object.string("code"), try object.string("message"), file: try optional("file"),
              line: object["line"] == nil ? nil : try object.count("line"), recordType: try optional("recordType"),
              id: try optional("id"), field: try optional("field"), value: try optional("value"))
  }

  public var record: JSONObject {
    var object = JSONObject([("type", .string(Self.type)), ("severity", .string(severity.rawValue))])
    object.append("code", .string(code))
    object.append("message", .string(message))
    if let line { object.append("line", .number(String(line))) }
    if let file { object.append("file", .string(file)) }
    if let recordType { object.append("recordType", .string(recordType)) }
    if let id { object.append("id", .string(id)) }
    if let field { object.append("field", .string(field)) }
    if let value { object.append("value", .string(value)) }
    return object
  }
}
