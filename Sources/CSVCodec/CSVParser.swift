import RecordStream

/// A CSV file that cannot be read, and where.
public struct CSVError: Error, Equatable, Sendable {
  /// 1-based physical line of the problem.
  public let line: Int
  public let reason: String

  public init(line: Int, reason: String) {
    self.line = line
    self.reason = reason
  }
}

/// One row, with the physical line it starts on (a quoted line break makes a row span
/// several lines, so row numbers and line numbers differ).
public struct CSVRow: Equatable, Sendable {
  public let line: Int
  public let fields: [String]

  public init(line: Int, fields: [String]) {
    self.line = line
    self.fields = fields
  }
}

/// An RFC 4180 parser fed in chunks: a byte-order mark, LF, CRLF or CR line ends,
/// quoted fields with commas, quotes and line breaks. Strict where a lax reading would
/// guess (a quote inside an unquoted field, text after a closing quote, a NUL byte,
/// invalid UTF-8, an unterminated quote): those are errors naming the line.
///
/// Written by hand rather than taken from a CSV package because the validator must name
/// the physical line of every row and problem, and reject (not repair) malformed input;
/// the Swift CSV packages here report neither. Rows are bounded in size, so an
/// unbalanced quote cannot make the reader hold a whole file.
public struct CSVParser {
  public static let defaultMaxRowBytes = 1 << 20

  private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }

  private let maxRowBytes: Int
  private var state = State.fieldStart
  private var field: [UInt8] = []
  private var fields: [String] = []
  private var rowBytes = 0
  private var line = 1
  private var rowLine = 1
  private var quoteLine = 1
  private var atStart = true
  private var bomProgress = 0
  /// Lines ended by a CR alone (old Mac files, some of Clever's own demo files), and the
  /// first of them: RFC 4180 and Clever document CRLF.
  public private(set) var bareCRLines = 0
  public private(set) var firstBareCRLine: Int?

  public init(maxRowBytes: Int = CSVParser.defaultMaxRowBytes) {
    self.maxRowBytes = maxRowBytes
  }

  public mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>, _ emit: (CSVRow) throws -> Void) throws {
    var index = 0
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    while atStart, index < chunk.count {
      if chunk[index] == bom[bomProgress] {
        bomProgress += 1
        index += 1
        if bomProgress == 3 { atStart = false }
      } else {
        // Not a BOM after all: replay the bytes taken so far as data.
        let taken = bomProgress
        atStart = false
        for k in 0..<taken { try step(bom[k], emit) }
      }
    }
    while index < chunk.count {
      // A run of ordinary bytes inside a field is copied whole: stepping through it byte
      // by byte was most of the time of reading a file. A run that would pass the row
      // limit is stepped, so that the error is the same.
      if state != .quoteInQuoted && state != .afterCR {
        let quoted = state == .quoted
        var end = index
        while end < chunk.count, Self.isOrdinary(chunk[end], quoted: quoted) { end += 1 }
        if end > index, rowBytes + (end - index) <= maxRowBytes {
          field.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[index..<end]))
          rowBytes += end - index
          if !quoted { state = .unquoted }
          index = end
          continue
        }
      }
      try step(chunk[index], emit)
      index += 1
    }
  }

  /// A byte that `step` would only append to the field: not a quote, NUL or LF, and
  /// outside quotes not a comma or CR either.
  private static func isOrdinary(_ byte: UInt8, quoted: Bool) -> Bool {
    if byte == 0x22 || byte == 0x0A || byte == 0 { return false }
    return quoted || (byte != 0x2C && byte != 0x0D)
  }

  /// Ends the input: emits a last row without a line end, or fails on an open quote.
  public mutating func finish(_ emit: (CSVRow) throws -> Void) throws {
    if atStart, bomProgress > 0 {
      let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
      atStart = false
      for k in 0..<bomProgress { try step(bom[k], emit) }
    }
    switch state {
    case .quoted:
      throw CSVError(line: quoteLine, reason: "unterminated quoted field (the quote opened on line \(quoteLine) is never closed)")
    case .afterCR:
      noteBareCR()
      state = .fieldStart
    case .fieldStart:
      if !fields.isEmpty { try endField(); try endRow(emit) }
    case .unquoted, .quoteInQuoted:
      try endField()
      try endRow(emit)
    }
  }

  private mutating func step(_ byte: UInt8, _ emit: (CSVRow) throws -> Void) throws {
    if byte == 0 { throw CSVError(line: line, reason: "NUL byte in the file (is it really a CSV text file?)") }
    rowBytes += 1
    if rowBytes > maxRowBytes {
      throw CSVError(line: rowLine, reason: "row is longer than \(maxRowBytes) bytes (an unbalanced quote?)")
    }
    switch state {
    case .afterCR:
      state = .fieldStart
      rowBytes = 0  // this byte starts the next row (or is the LF of a CRLF)
      if byte == 0x0A { return }
      noteBareCR()
      try step(byte, emit)
    case .fieldStart, .unquoted:
      switch byte {
      case 0x2C:
        try endField()
        state = .fieldStart
      case 0x0A, 0x0D:
        if state == .fieldStart && fields.isEmpty {
          // A blank line: no row.
        } else {
          try endField()
          try endRow(emit)
        }
        line += 1
        rowLine = line
        rowBytes = 0
        state = byte == 0x0D ? .afterCR : .fieldStart
      case 0x22:
        if state == .fieldStart {
          state = .quoted
          quoteLine = line
        } else {
          throw CSVError(line: line, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
        }
      default:
        field.append(byte)
        state = .unquoted
      }
    case .quoted:
      if byte == 0x22 {
        state = .quoteInQuoted
      } else {
        if byte == 0x0A { line += 1 }
        field.append(byte)
      }
    case .quoteInQuoted:
      switch byte {
      case 0x22:
        field.append(0x22)
        state = .quoted
      case 0x2C:
        try endField()
        state = .fieldStart
      case 0x0A, 0x0D:
        try endField()
        try endRow(emit)
        line += 1
        rowLine = line
        rowBytes = 0
        state = byte == 0x0D ? .afterCR : .fieldStart
      default:
        throw CSVError(line: line, reason: "text after the closing quote of a field")
      }
    }
  }

  /// The line before this one ended with a CR alone.
  private mutating func noteBareCR() {
    bareCRLines += 1
    if firstBareCRLine == nil { firstBareCRLine = line - 1 }
  }

  private mutating func endField() throws {
    // RecordStream's check, then decoding: String(validating:as:) is generic, and looked up
    // its type metadata for every field (a fifth of clever-validate on a CSV directory).
    guard let text = field.withUnsafeBufferPointer({ firstInvalidUTF8Offset($0) == nil ? String(decoding: $0, as: UTF8.self) : nil })
    else {
      throw CSVError(line: line, reason: "invalid UTF-8 in field \(fields.count + 1): " + notUTF8Advice("the file"))
    }
    fields.append(text)
    field.removeAll(keepingCapacity: true)
  }

  private mutating func endRow(_ emit: (CSVRow) throws -> Void) throws {
    let row = CSVRow(line: rowLine, fields: fields)
    fields.removeAll(keepingCapacity: true)
    try emit(row)
  }
}
