#if canImport(Glibc)
  import Glibc
#endif
import CSVCodec
import CleverFormat
import RecordStream
import RosterRecords

/// Reads Clever CSV files, ours or another tool's, back into Clever records.
///
/// Accepts what Clever accepts (clever-format.md section 2): a byte-order mark, LF or
/// CRLF, headers in any case and order, quoted line breaks. A student's consecutive rows
/// (one per contact) become one record with its contacts.
public struct CleverSetReader {
  public let directory: String
  /// Set to rewrite values into their documented form as they are read
  /// (DocumentedRewrite); it is told each change with the file name and line.
  public var normalize: Normalization?

  /// Told each value rewritten: file name, line, what changed.
  public typealias Normalization = (_ file: String, _ line: Int, _ change: String) -> Void

  public init(directory: String, normalize: Normalization? = nil) {
    self.directory = POSIXPath.trimmingTrailingSlashes(directory)
    self.normalize = normalize
  }

  /// The order files are read in: schools last, as clever-map writes them, so that a
  /// read that fails halfway leaves a stream that `clever-csv write` sees is cut short.
  public static let readingOrder: [CleverFile] = [.students, .teachers, .sections, .enrollments, .staff, .schools]

  /// Reads every file of the set. A missing required file is an error (exit 66), as it
  /// is for Clever; a missing staff.csv is not.
  public func forEachRecord(_ body: (CleverRecord) throws -> Void) throws {
    for file in Self.readingOrder {
      let path = directory + "/" + file.fileName
      guard POSIXFile.exists(path) else {
        if file.isRequired {
          throw StageFailure(.noInput, code: "E_MISSING_FILE",
                             "\(path) is missing; Clever processes nothing from an upload without it")
        }
        continue
      }
      try Self.read(file, path: path, normalize: normalize, body)
    }
  }

  /// Reads one file; errors name the file and line.
  public static func read(_ file: CleverFile, path: String, normalize: Normalization? = nil,
                          _ body: (CleverRecord) throws -> Void) throws {
    let fd = try POSIXFile.openForReading(path)
    defer { close(fd) }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    var layout: HeaderLayout?
    var pending: CleverRecord?
    var pendingID = ""
    do {
      let parser = try CSVFileReader.forEachRow(fileDescriptor: fd) { row in
        guard let columns = layout else {
          let header = HeaderLayout(file: file, header: row.fields)
          if let duplicate = header.duplicateColumns.first {
            throw StageFailure(.dataError, code: "E_CSV_HEADER", "column \"\(duplicate)\" appears twice in the header",
                               place: "\(name):\(row.line)")
          }
          layout = header
          if let normalize {
            for column in header.unknownColumns { normalize(name, row.line, "column \"\(column)\" is not Clever's: left out") }
          }
          return
        }
        guard row.fields.count == columns.width else {
          throw StageFailure(.dataError, code: "E_CSV_FIELDS",
                             "row has \(row.fields.count) fields, the header has \(columns.width)", place: "\(name):\(row.line)")
        }
        var record = columns.record(from: row.fields)
        var contact = columns.contact(from: row.fields)
        if let normalize, contact != nil {
          for change in DocumentedRewrite.contact(&contact!) { normalize(name, row.line, change.description) }
        }
        if file == .students {
          let id = record[.studentID]
          if var student = pending, !id.isEmpty, id == pendingID {
            // This row's own columns are the first row's again; its rewrites are told
            // too, since the written set repeats them on this row.
            if let normalize { Self.normalizeOwnColumns(&record, columns, name: name, line: row.line, normalize) }
            if let contact { student.contacts.append(contact) }
            pending = student
            return
          }
          if let student = pending { try body(student) }
          if let normalize { Self.normalizeOwnColumns(&record, columns, name: name, line: row.line, normalize) }
          if let contact { record.contacts.append(contact) }
          pending = record
          pendingID = id
        } else {
          if let normalize { Self.normalizeOwnColumns(&record, columns, name: name, line: row.line, normalize) }
          try body(record)
        }
      }
      if let normalize, let line = parser.firstBareCRLine {
        normalize(name, line, "\(parser.bareCRLines) line\(parser.bareCRLines == 1 ? "" : "s") ended by a CR alone, from here: "
          + "written with CRLF")
      }
    } catch let error as CSVError {
      throw StageFailure(.dataError, code: "E_CSV", error.reason, place: "\(name):\(error.line)")
    } catch let error as CSVReadFailure {
      throw StageFailure(.ioError, code: "E_READ", "cannot read \(path): \(error.reason)")
    }
    if let student = pending { try body(student) }
    if layout == nil {
      throw StageFailure(.dataError, code: "E_CSV_EMPTY", "file is empty: a Clever file needs at least its header row",
                         place: name)
    }
  }

  /// Rewrites a row's own values, and fills the documented columns its file lacks
  /// (School_number: the School_id, clever-map's fallback too).
  static func normalizeOwnColumns(_ record: inout CleverRecord, _ layout: HeaderLayout, name: String, line: Int,
                                  _ normalize: Normalization) {
    for change in DocumentedRewrite.ownColumns(&record) { normalize(name, line, change.description) }
    for column in layout.missingDocumentedColumns where record[column].isEmpty {
      record[column] = record[.schoolID]
      normalize(name, line, "\(column) (no such column) -> \"\(record[column])\", the School_id, as clever-map writes "
        + "for a school without a number")
    }
  }
}
