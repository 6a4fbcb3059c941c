import Foundation
import RecordStream

/// A temporary file holding `bytes`, opened for reading.
func inputSource(_ bytes: [UInt8]) throws -> InputSource {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("rs-\(UUID().uuidString)").path
  FileManager.default.createFile(atPath: path, contents: Data(bytes))
  defer { unlink(path) }  // the open descriptor keeps the data readable
  return try InputSource.open(path)
}

func lines(of bytes: [UInt8], maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws -> [String] {
  let source = try inputSource(bytes)
  defer { source.close() }
  var reader = LineReader(fileDescriptor: source.fileDescriptor, maxLineBytes: maxLineBytes)
  var result: [String] = []
  try reader.forEach { event in
    switch event {
    case .line(let number, let buffer): result.append("\(number):" + String(decoding: buffer, as: UTF8.self))
    case .tooLong(let number, let count): result.append("\(number):TOO LONG \(count)")
    }
  }
  return result
}
