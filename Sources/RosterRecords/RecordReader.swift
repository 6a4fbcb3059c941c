import RecordStream

/// One record of the stream, as the reader hands it out.
public struct InputRecord {
  public let line: Int
  public let type: String
  public let object: JSONObject
  /// The line exactly as read, for passing a record through unchanged. Valid only
  /// during the callback.
  public let raw: UnsafeBufferPointer<UInt8>
}

/// Reads NDJSON records and enforces the stream's rules (records.md): each line a JSON
/// object with a string `type`, valid UTF-8, within the line limit. Blank lines are
/// skipped. A bad line, or a record the consumer rejects with a RecordError, stops the
/// stage with status 65, or with `keepGoing` is reported, skipped and counted.
public struct RecordReader {
  public let source: InputSource
  public let keepGoing: Bool
  public let maxLineBytes: Int
  public let reporter: DiagnosticReporter
  public private(set) var recordCount = 0
  public private(set) var skippedCount = 0

  public init(
    source: InputSource, keepGoing: Bool, reporter: DiagnosticReporter,
    maxLineBytes: Int = LineReader.defaultMaxLineBytes
  ) {
    self.source = source
    self.keepGoing = keepGoing
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
      case .line(let number, let bytes):
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        if let bad = firstInvalidUTF8Offset(bytes) {
          try reject(line: number, code: "E_UTF8", "invalid UTF-8 at byte \(bad + 1)")
          return
        }
        let value: JSONValue
        do {
          value = try JSONParser.parse(bytes)
        } catch let error as JSONSyntaxError {
          try reject(line: number, code: "E_JSON", "\(error.reason) at byte \(error.offset + 1)")
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
        recordCount += 1
        do {
          try body(InputRecord(line: number, type: type, object: object, raw: bytes))
        } catch let error as RecordError {
          recordCount -= 1
          try reject(line: number, code: error.code, error.message, field: error.field, recordType: type,
                     id: object["id"].flatMap { if case .string(let s) = $0 { s } else { nil } })
        }
      }
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
