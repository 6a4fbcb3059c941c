import Foundation
import RecordStream
import Testing

@Suite struct POSIXPathTests {
  @Test func readsAWholeFile() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pp-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    FileManager.default.createFile(atPath: directory + "/big", contents: Data(bytes))
    FileManager.default.createFile(atPath: directory + "/empty", contents: Data())
    #expect(POSIXPath.bytes(of: directory + "/big") == bytes)
    #expect(POSIXPath.bytes(of: directory + "/empty") == [])
    #expect(POSIXPath.bytes(of: directory + "/missing") == nil)
    #expect(POSIXPath.bytes(of: directory) == nil, "a directory has no bytes to read")
  }
}
