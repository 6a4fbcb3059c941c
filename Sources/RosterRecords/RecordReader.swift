import RecordStream

/// One record of the stream, as the reader hands it out.
public struct InputRecord {
  public let line: Int
  public let type: String
  /// The record, decoded, when the reader decodes Clever records and this is one.
  public let clever: CleverRecord?
  /// The line exactly as read, for passing a record through unchanged. Valid only
  /// during the callback.
  public let raw: UnsafeBufferPointer<UInt8>
  private let parsed: JSONObject?

  init(line: Int, type: String, object: JSONObject?, clever: CleverRecord?, raw: UnsafeBufferPointer<UInt8>) {
    self.line = line
    self.type = type
    self.parsed = object
    self.clever = clever
    self.raw = raw
  }

  /// The record as a JSON object. A line decoded straight into `clever` is parsed only
  /// when this is asked for.
  public var object: JSONObject {
    if let parsed { return parsed }
    guard case .object(let object)? = try? JSONParser.parse(raw) else {
      preconditionFailure("line \(line): CleverLineDecoder accepted a line that is not a JSON object")
    }
    return object
  }

  /// The record as a Clever record, decoded already or now.
  public func cleverRecord() throws(RecordError) -> CleverRecord {
    if let clever { return clever }
    return try CleverRecord(object: object)
  }
}

/// Reads NDJSON records and enforces the stream's rules (records.md): each line a JSON
/// object with a string `type`, valid UTF-8, within the line limit. Blank lines are
/// skipped. A bad line, or a record the consumer rejects with a RecordError, stops the
/// stage with status 65, or with `keepGoing` is reported, skipped and counted.
public struct RecordReader {
  public let source: InputSource
  public let keepGoing: Bool
  public let maxLineBytes: Int
  /// Clever records are decoded straight from their bytes (CleverLineDecoder) and handed
  /// out in `clever`; lines of any other shape go the general way.
  public let decodesClever: Bool
  public let reporter: DiagnosticReporter
  public private(set) var recordCount = 0
  public private(set) var skippedCount = 0

  public init(
    source: InputSource, keepGoing: Bool, reporter: DiagnosticReporter,
    maxLineBytes: Int = LineReader.defaultMaxLineBytes, decodesClever: Bool = false
  ) {
    self.source = source
    self.keepGoing = keepGoing
    self.decodesClever = decodesClever
    self.reporter = reporter
    self.maxLineBytes = maxLineBytes
  }

  public mutating func forEach(_ body: (InputRecord) throws -> Void) throws {
    var lines = LineReader(fileDescriptor: source.fileDescriptor, maxLineBytes: maxLineBytes)
    try lines.forEach { event in
      switch event {
      case .tooLong(let number, let count):
        try reject(
          line: number, code: "E_LINE_TOO_LONG",
          "line is \(count) bytes, longer than the limit of \(maxLineBytes) (--max-line-bytes raises it)")
      case .line(let number, var bytes):
        if Self.startsWithByteOrderMark(bytes) {
          // At the very start of the stream a BOM is only a mark, as in a CSV file (some
          // Windows tools write one); anywhere else it is a character the line cannot hold.
          guard number == 1 else {
            try reject(line: number, code: "E_JSON", Self.byteOrderMarkProblem)
            return
          }
          bytes = UnsafeBufferPointer(rebasing: bytes[3...])
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        if let bad = firstInvalidUTF8Offset(bytes) {
          let byte = "0x" + String(bytes[bad], radix: 16, uppercase: true)
          try reject(line: number, code: "E_UTF8", "invalid UTF-8 at byte \(bad + 1) (\(byte)): " + notUTF8Advice("the input"))
          return
        }
        if decodesClever, let clever = CleverLineDecoder.decode(bytes) {
          let record = InputRecord(line: number, type: clever.file.recordType, object: nil, clever: clever, raw: bytes)
          try deliver(record, body)
          return
        }
        let value: JSONValue
        do {
          value = try JSONParser.parse(bytes)
        } catch let error as JSONSyntaxError {
          let advice = PrettyPrintedJSON.looksLikePart(bytes) ? ": " + PrettyPrintedJSON.advice : ""
          try reject(line: number, code: "E_JSON", "\(error.reason) at byte \(error.offset + 1)\(advice)")
          return
        }
        guard case .object(let object) = value else {
          try reject(line: number, code: "E_NOT_OBJECT", "expected a JSON object, got \(value.kindName)")
          return
        }
        guard case .string(let type)? = object["type"] else {
          let got = object["type"].map { ", got \($0.kindName)" } ?? ""
          try reject(line: number, code: "E_NO_TYPE", "record has no string \"type\"\(got)", field: "type")
          return
        }
        try deliver(InputRecord(line: number, type: type, object: object, clever: nil, raw: bytes), body)
      }
    }
  }

  private static func startsWithByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

  static let byteOrderMarkProblem =
    "the line starts with a byte-order mark (U+FEFF), which only the first line of the stream may have "
    + "(were files that each start with one joined?); remove it: sed 's/^\\xEF\\xBB\\xBF//'"

  private mutating func deliver(_ record: InputRecord, _ body: (InputRecord) throws -> Void) throws {
    recordCount += 1
    do {
      try body(record)
    } catch let error as RecordError {
      recordCount -= 1
      try reject(line: record.line, code: error.code, error.message, field: error.field, recordType: record.type,
                 id: record.object["id"].flatMap { if case .string(let s) = $0 { s } else { nil } })
    }
  }

  private mutating func reject(
    line: Int, code: String, _ message: String, field: String? = nil, recordType: String? = nil, id: String? = nil
  ) throws {
    guard keepGoing else {
      throw StageFailure(.dataError, code: code, message, place: "\(source.name):\(line)")
    }
    skippedCount += 1
    reporter.report(
      Diagnostic(.error, code, message + " (skipped)", file: source.name, line: line, recordType: recordType,
                 id: id, field: field))
  }
}
