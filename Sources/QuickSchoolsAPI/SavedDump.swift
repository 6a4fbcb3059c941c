import Foundation
import RecordStream

/// A saved dump: every raw response of a run, one file each, so a run can be replayed
/// with no network (`--save DIR`, `--from DIR`).
///
///     DIR/manifest.json                 written last: a dump without it is incomplete
///     DIR/<code>/school.json            one folder per school, named by its code
///     DIR/<code>/students.page-1.json   one file per page, as the API sent it
///     DIR/<code>/sectionenrollments/9001.page-1.json
///
/// Query items other than the page are fixed by the options the manifest records, so
/// a replay asks exactly what the saving run asked.
public struct DumpManifest: Sendable, Equatable {
  public static let format = "qs-extract-dump"
  public static let version = 1

  public var savedAt: String
  public var baseURL: String
  public var itemsPerPage: Int
  public var includeInactive: Bool
  public var term: String
  public var schools: [String]
  /// The page parameter of each school whose API ignores `page` (PagingChoice), by code.
  public var pageParameters: [String: String] = [:]

  public init(savedAt: String, baseURL: String, itemsPerPage: Int, includeInactive: Bool, term: String, schools: [String]) {
    self.savedAt = savedAt
    self.baseURL = baseURL
    self.itemsPerPage = itemsPerPage
    self.includeInactive = includeInactive
    self.term = term
    self.schools = schools
  }

  var json: JSONObject {
    JSONObject([
      ("format", .string(Self.format)), ("version", .number(String(Self.version))), ("savedAt", .string(savedAt)),
      ("baseURL", .string(baseURL)), ("itemsPerPage", .number(String(itemsPerPage))),
      ("includeInactive", .bool(includeInactive)), ("term", .string(term)),
      ("schools", .array(schools.map { .string($0) })),
      ("pageParameters", .object(JSONObject(pageParameters.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))),
    ])
  }

  /// Reads `DIR/manifest.json`.
  public static func read(from directory: String) throws(StageFailure) -> DumpManifest {
    let path = directory + "/manifest.json"
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
        throw StageFailure(.noInput, .dump, "\(directory): no such directory")
      }
      guard isDirectory.boolValue else { throw StageFailure(.noInput, .dump, notAFolder(directory)) }
      throw StageFailure(
        .dataError, .dump,
        "\(directory) has no manifest.json: the run that saved it did not finish, so it is not a whole dump")
    }
    let bad = { (why: String) in StageFailure(.dataError, .dump, "\(path): \(why)") }
    guard case .object(let object)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self)) else {
      throw bad("not a JSON object; it begins: \(QuotedInput.excerpt(data, limit: 60))")
    }
    guard object["format"]?.text == format else { throw bad("not a qs-extract dump (format is not \"\(format)\")") }
    guard object["version"]?.text == String(version) else {
      throw bad("dump version \(object["version"]?.text ?? "?") is not \(version), the one this qs-extract reads")
    }
    guard case .array(let codes)? = object["schools"], let itemsPerPage = object["itemsPerPage"]?.text.flatMap({ Int($0) })
    else { throw bad("no \"schools\" list or \"itemsPerPage\"") }
    // A school's code names its folder: nothing that could lead out of the dump.
    var seen = Set<String>()
    for code in codes {
      guard case .string(let text) = code, !text.isEmpty, text != ".", text != "..",
        text.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
      else { throw bad("\(JSONWriter.string(code)) is not a school code") }
      guard seen.insert(text).inserted else { throw bad("the school \(text) is listed twice") }
    }
    var manifest = DumpManifest(
      savedAt: object["savedAt"]?.text ?? "", baseURL: object["baseURL"]?.text ?? "", itemsPerPage: itemsPerPage,
      includeInactive: object["includeInactive"].flatMap { RecordBuilder.flag($0) } ?? false,
      term: object["term"]?.text ?? "", schools: codes.compactMap(\.text))
    if case .object(let found)? = object["pageParameters"] {
      for (code, name) in found { if let text = name.text { manifest.pageParameters[code] = text } }
    }
    return manifest
  }

  /// Why a file given to `--from` is refused, and, when it holds records, where they go.
  private static func notAFolder(_ file: String) -> String {
    let said = "\(file) is a file, not a dump folder: --from replays a folder that qs-extract --save DIR wrote"
    guard let type = firstRecordType(file) else { return said }
    guard type.hasPrefix("qs.") || type == "extract" else {
      return said + "; the file holds NDJSON records (the first of type \(JSONWriter.string(.string(type)))), not a dump"
    }
    return said + "; the file holds QuickSchools records, which clever-map reads: clever-map \(file) (or clever-map < \(file))"
  }

  /// The `type` of the record on the first line of `file`, when that line is one.
  private static func firstRecordType(_ file: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 1 << 16) else { return nil }
    let line = head.prefix { $0 != 0x0A }
    guard let text = String(validating: line, as: UTF8.self), case .object(let object)? = try? JSONParser.parse(text),
      let type = object["type"]?.text, !type.isEmpty
    else { return nil }
    return type
  }

  /// Writes `DIR/manifest.json`, last, which makes the dump whole.
  public func write(to directory: String) throws(StageFailure) {
    var bytes: [UInt8] = []
    JSONWriter.append(.object(json), to: &bytes)
    bytes.append(0x0A)
    try DumpFiles.write(bytes, to: directory + "/manifest.json")
  }
}

/// Saves each response of one school's run into the dump.
public struct DumpRecorder: Sendable {
  let folder: String

  public init(root: String, code: String) { folder = root + "/" + code }

  /// Saving is part of what the user asked for: a dump with a hole must not pass, so a
  /// failure here ends the run.
  func save(_ request: APIRequest, body: [UInt8]) throws(StageFailure) {
    try DumpFiles.write(body, to: folder + "/" + request.dumpName)
  }
}

/// Answers requests from one school's folder of a saved dump.
public struct DumpReplay: APITransport {
  let root: String
  let code: String

  public init(root: String, code: String) {
    self.root = root
    self.code = code
  }

  public var name: String { "the dump \(root)" }

  public func source(of request: APIRequest) -> String { "\(root)/\(code)/\(request.dumpName)" }

  public func send(_ request: APIRequest, timeout: Double) async -> APIOutcome {
    let file = "\(code)/\(request.dumpName)"
    guard let body = POSIXPath.bytes(of: root + "/" + file) else {
      return .missing(
        "the dump \(root) has no answer for GET \(request.display) (\(file)): "
          + "it is incomplete, or was saved with other options")
    }
    return .response(status: 200, retryAfter: nil, body: body)
  }
}

/// Files of a dump: private (they hold student data) and never half-written.
public enum DumpFiles {
  static func write(_ bytes: [UInt8], to path: String) throws(StageFailure) {
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw StageFailure(.cannotCreate, .save, "cannot create \(folder)")
    }
    let temporary = folder + "/." + (path as NSString).lastPathComponent + ".part"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw StageFailure(.cannotCreate, .save, "cannot create \(temporary): \(errnoText())") }
    var written = 0
    let ok = bytes.withUnsafeBytes { raw -> Bool in
      while written < raw.count {
        let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
        if n <= 0 { return false }
        written += n
      }
      return true
    }
    let closed = close(fd) == 0
    guard ok, closed, rename(temporary, path) == 0 else {
      let why = errnoText()
      unlink(temporary)
      throw StageFailure(.ioError, .save, "cannot write \(path): \(why)")
    }
  }

  /// Makes `DIR` for `--save`: new, or empty, and private.
  public static func prepare(_ directory: String) throws(StageFailure) {
    let manager = FileManager.default
    if let contents = try? manager.contentsOfDirectory(atPath: directory) {
      guard contents.isEmpty else {
        throw StageFailure(.cannotCreate, .save, "\(directory) is not empty: --save writes a new dump into an empty folder")
      }
      chmod(directory, 0o700)
      return
    }
    do {
      try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw StageFailure(.cannotCreate, .save, "cannot create \(directory)")
    }
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}
