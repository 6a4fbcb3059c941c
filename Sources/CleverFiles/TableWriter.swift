#if canImport(Glibc)
  import Glibc
#endif
import CSVCodec
import CleverFormat
import Crypto
import DigestText
import RecordStream
import RosterRecords

/// Writes one Clever file inside the staging directory.
///
/// Rows stream to a body file as records arrive. The header is written last, in
/// `finish`, because an `ext.*` column may first appear on any record; rows written
/// before it appeared are padded then. So memory holds one row, not the file.
final class TableWriter {
  let file: CleverFile
  private let bodyPath: String
  private let body: OutputSink
  private let bodyDescriptor: Int32
  private var extensions: [String] = []
  /// Runs of rows written with the same number of extension columns.
  private var widths: [(rows: Int, extensionCount: Int)] = []
  private var scratch: [UInt8] = []
  private(set) var rows = 0
  /// The body descriptor is closed exactly once: a second close could close a
  /// descriptor that another part of the process has opened since.
  private var bodyOpen = true

  init(file: CleverFile, directory: String) throws {
    self.file = file
    self.bodyPath = directory + "/" + file.fileName + ".body"
    self.bodyDescriptor = try POSIXFile.create(bodyPath)
    self.body = OutputSink(fileDescriptor: bodyDescriptor)
  }

  func append(_ record: CleverRecord) throws {
    for (name, _) in record.extensions where !extensions.contains(where: { $0.lowercased() == name.lowercased() }) {
      extensions.append(name)
    }
    try CleverRows.forEachRow(of: record, extensions: extensions) { fields in
      scratch.removeAll(keepingCapacity: true)
      CSVWriter.appendRow(fields, to: &scratch)
      try body.write(scratch)
      rows += 1
      if let last = widths.last, last.extensionCount == extensions.count {
        widths[widths.count - 1].rows += 1
      } else {
        widths.append((1, extensions.count))
      }
    }
  }

  /// Writes the finished file at `path` (header, then the body), flushed to disk.
  func finish(to path: String) throws -> (rows: Int, bytes: Int, sha256: String) {
    try body.flush()
    closeBody()
    defer { unlink(bodyPath) }
    let out = try POSIXFile.create(path)
    defer { close(out) }
    var hasher = SHA256()
    var bytes = 0
    func put(_ chunk: UnsafeRawBufferPointer) throws {
      hasher.update(bufferPointer: chunk)
      try POSIXFile.writeAll(out, chunk, path)
      bytes += chunk.count
    }
    var header: [UInt8] = []
    CSVWriter.appendRow(CleverRows.header(of: file, extensions: extensions), to: &header)
    try header.withUnsafeBytes { try put($0) }

    let input = try POSIXFile.openForReading(bodyPath)
    defer { close(input) }
    if widths.allSatisfy({ $0.extensionCount == extensions.count }) {
      let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
      defer { chunk.deallocate() }
      while true {
        let count = SystemCall.read(input, chunk.baseAddress!, chunk.count)
        if count < 0 {
          throw POSIXFile.failure("read", bodyPath, status: .ioError)
        }
        if count == 0 { break }
        try put(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
      }
    } else {
      // Some rows predate an extension column: pad them with empty fields.
      let width = file.columns.count + extensions.count
      var row: [UInt8] = []
      try CSVFileReader.forEachRow(fileDescriptor: input, maxRowBytes: Int.max) { parsed in
        row.removeAll(keepingCapacity: true)
        CSVWriter.appendRow(parsed.fields + Array(repeating: "", count: width - parsed.fields.count), to: &row)
        try row.withUnsafeBytes { try put($0) }
      }
    }
    try POSIXFile.sync(out, path)
    return (rows, bytes, hasher.finalize().hex)
  }

  /// Gives up: the body file is removed.
  func abandon() {
    closeBody()
    unlink(bodyPath)
  }

  private func closeBody() {
    if bodyOpen { close(bodyDescriptor) }
    bodyOpen = false
  }
}
