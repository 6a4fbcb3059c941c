#if canImport(Glibc)
  import Glibc
#endif
import CSVCodec
import CleverFiles
import CleverFormat
import RecordStream

/// Validates Clever CSV files made by any tool: a whole directory (every required file
/// must be there) or the files named. Files are read in the order their references
/// need (schools, teachers, students, sections, enrollments, staff); every message names
/// the file and its physical line.
public struct CSVSetValidation {
  public static let order: [CleverFile] = [.schools, .teachers, .students, .sections, .enrollments, .staff]

  /// True when a file could not be read to its end (status 65).
  public private(set) var unreadable = false
  private let validator: CleverValidator

  public init(validator: CleverValidator) { self.validator = validator }

  /// Validates the set in `directory`.
  public mutating func validate(directory: String) throws {
    let base = POSIXPath.trimmingTrailingSlashes(directory)
    let present = Set(try names(in: base))
    var paths: [CleverFile: String] = [:]
    for file in Self.order {
      if present.contains(file.fileName) {
        paths[file] = base + "/" + file.fileName
      } else if file.isRequired {
        let near = present.first { $0.lowercased() == file.fileName }
        let hint = near.map { "; \($0) is there, but Clever wants the lower-case name" } ?? ""
        validator.fileFinding(.missingFile, "\(file.fileName) is missing: Clever processes nothing from an upload without it\(hint)",
                              file: file, source: file.fileName)
        validator.absentFiles.insert(file)
      }
    }
    try validate(paths)
  }

  /// Validates the files named; references into files not given are not checked.
  public mutating func validate(files: [String]) throws {
    var paths: [CleverFile: String] = [:]
    for path in files {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      guard access(path, F_OK) == 0 else {
        throw StageFailure(.noInput, code: "E_INPUT", "\(path): no such file or directory")
      }
      guard let file = CleverFile(fileName: name) else {
        throw StageFailure(.usage, code: "E_USAGE",
                           "\(path): not a Clever file name (\(CleverFile.allCases.map(\.fileName).joined(separator: ", ")))")
      }
      if let other = paths[file] {
        throw StageFailure(.usage, code: "E_USAGE", "\(other) and \(path) are both \(file.fileName)")
      }
      paths[file] = path
    }
    for file in CleverFile.allCases where paths[file] == nil { validator.absentFiles.insert(file) }
    try validate(paths)
  }

  private mutating func validate(_ paths: [CleverFile: String]) throws {
    for file in Self.order {
      guard let path = paths[file] else { continue }
      // A file read only in part is not complete: IDs past the bad line are unknown,
      // not missing, so references into it are not judged.
      if try validate(file, path: path) {
        validator.complete(file)
      } else {
        validator.absentFiles.insert(file)
      }
    }
  }

  /// Returns whether the file was read to its end.
  private mutating func validate(_ file: CleverFile, path: String) throws -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw StageFailure(.opening(errno: errno), code: "E_INPUT",
                         "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var layout: HeaderLayout?
    var rows = 0
    do {
      let parser = try CSVFileReader.forEachRow(fileDescriptor: fd) { row in
        guard let header = layout else {
          let header = HeaderLayout(file: file, header: row.fields)
          check(header, file: file, source: name, line: row.line)
          layout = header
          return
        }
        rows += 1
        guard row.fields.count == header.width else {
          validator.unreadableRow(.rowFields, "row has \(row.fields.count) fields, the header has \(header.width)",
                                  file: file, source: name, line: row.line)
          return
        }
        var record = header.record(from: row.fields)
        if let contact = header.contact(from: row.fields) { record.contacts = [contact] }
        validator.check(record, source: name, line: row.line)
      }
      if let first = parser.firstBareCRLine {
        validator.fileFinding(
          .lineEndings, "\(parser.bareCRLines) line\(parser.bareCRLines == 1 ? "" : "s") end with a CR alone (the first: "
            + "line \(first)); Clever documents CRLF line ends; write CRLF (clever-csv read | clever-csv write does)",
          file: file, source: name, line: first)
      }
    } catch let error as CSVError {
      unreadable = true
      validator.fileFinding(.unreadable, error.reason + "; the rest of the file is not checked", file: file, source: name,
                            line: error.line)
      return false
    } catch let error as CSVReadFailure {
      throw StageFailure(.ioError, code: "E_READ", "cannot read \(path): \(error.reason)")
    }
    if layout == nil {
      validator.fileFinding(.emptyFile, "the file is empty: a Clever file needs at least its header row", file: file,
                            source: name)
    } else if rows == 0, file.isRequired {
      validator.fileFinding(.noRows, "the file has a header but no rows: uploaded, Clever would remove every \(file.rawValue.dropLast()) of the district",
                            file: file, source: name, line: 1)
    }
    return true
  }

  private func check(_ header: HeaderLayout, file: CleverFile, source: String, line: Int) {
    for column in header.missingColumns {
      validator.fileFinding(.missingColumn, "the header has no \(column) column, which Clever requires", file: file,
                            source: source, line: line, field: column)
    }
    for column in header.missingDocumentedColumns {
      validator.fileFinding(.documentedColumn, "the header has no \(column) column, which Clever's format documents as "
                              + "required; Clever processes files without it (its own demo district's have none)",
                            file: file, source: source, line: line, field: column)
    }
    for column in header.duplicateColumns {
      validator.fileFinding(.duplicateColumn, "column \"\(column)\" appears twice in the header", file: file,
                            source: source, line: line, field: column)
    }
    for column in header.unknownColumns {
      let hint = file.acceptsExtensions ? " (extension columns are named ext.<name>)" : ""
      validator.fileFinding(.unknownColumn, "column \"\(column)\" is not a Clever column; Clever ignores it\(hint)",
                            file: file, source: source, line: line, field: column)
    }
  }

  private func names(in directory: String) throws -> [String] {
    guard let dir = opendir(directory) else {
      throw StageFailure(.opening(errno: errno), code: "E_INPUT",
                         "cannot read \(directory): \(String(cString: strerror(errno)))")
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      names.append(withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      })
    }
    return names
  }
}
