#if canImport(Glibc)
  import Glibc
#endif
import CSVCodec
import CleverFormat
import RecordStream

/// Reads Clever CSV files, ours or another tool's, back into Clever records.
///
/// Accepts what Clever accepts (clever-format.md section 2): a byte-order mark, LF or
/// CRLF, headers in any case and order, quoted line breaks. A student's consecutive rows
/// (one per contact) become one record with its contacts.
public struct CleverSetReader {
  public let directory: String

  public init(directory: String) {
    var trimmed = directory
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
    self.directory = trimmed
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
      try Self.read(file, path: path, body)
    }
  }

  /// Reads one file; errors name the file and line.
  public static func read(_ file: CleverFile, path: String, _ body: (CleverRecord) throws -> Void) throws {
    let fd = try POSIXFile.openForReading(path)
    defer { close(fd) }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    var layout: HeaderLayout?
    var pending: CleverRecord?
    var pendingID = ""
    do {
      try CSVFileReader.forEachRow(fileDescriptor: fd) { row in
        guard let columns = layout else {
          let header = HeaderLayout(file: file, header: row.fields)
          if let duplicate = header.duplicateColumns.first {
            throw StageFailure(.dataError, code: "E_CSV_HEADER", "column \"\(duplicate)\" appears twice in the header",
                               place: "\(name):\(row.line)")
          }
          layout = header
          return
        }
        guard row.fields.count == columns.width else {
          throw StageFailure(.dataError, code: "E_CSV_FIELDS",
                             "row has \(row.fields.count) fields, the header has \(columns.width)", place: "\(name):\(row.line)")
        }
        var record = columns.record(from: row.fields)
        let contact = columns.contact(from: row.fields)
        if file == .students {
          let id = record["Student_id"]
          if var student = pending, !id.isEmpty, id == pendingID {
            if let contact { student.contacts.append(contact) }
            pending = student
            return
          }
          if let student = pending { try body(student) }
          if let contact { record.contacts.append(contact) }
          pending = record
          pendingID = id
        } else {
          try body(record)
        }
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
}
