#if canImport(Glibc)
  import Glibc
#endif
import CDirectoryExchange
import CleverFormat
import RecordStream
import RosterRecords

/// Writes a complete set of Clever files into a directory, all or nothing.
///
/// Everything is written into a staging directory beside the target, then the staging
/// directory and the target are swapped in one atomic step (renameat2 RENAME_EXCHANGE).
/// At every instant the target holds either the previous complete set or the new one,
/// even after `kill -9` or a power cut, because a truncated students.csv uploaded to
/// Clever deletes students. Files are mode 0600: they hold student data.
public final class CleverFileSetWriter {
  public let directory: String
  private let parent: String
  private let baseName: String
  private let staging: String
  private var tables: [CleverFile: TableWriter] = [:]
  private var finished = false

  /// Prefix of staging directories, so a later run can remove what a killed run left.
  static let stagingMarker = ".clever-csv-staging-"

  public init(directory: String) throws {
    let trimmed = POSIXPath.trimmingTrailingSlashes(directory)
    let absolute = POSIXFile.realPath(trimmed) ?? Self.absolute(trimmed)
    let slash = absolute.lastIndex(of: "/")!
    self.directory = absolute
    self.parent = slash == absolute.startIndex ? "/" : String(absolute[..<slash])
    self.baseName = String(absolute[absolute.index(after: slash)...])
    guard POSIXPath.isDirectory(parent) else {
      throw StageFailure(.cannotCreate, code: "E_OUTPUT", "cannot write \(directory): \(parent) is not a directory")
    }
    if POSIXFile.exists(absolute), !POSIXPath.isDirectory(absolute) {
      throw StageFailure(.cannotCreate, code: "E_OUTPUT", "cannot write \(directory): it exists and is not a directory")
    }
    Self.removeAbandonedStaging(in: parent, for: baseName)
    self.staging = "\(parent)/.\(baseName)\(Self.stagingMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    if mkdir(staging, 0o700) != 0 { throw POSIXFile.failure("create", staging) }
    do {
      for file in CleverFile.allCases { tables[file] = try TableWriter(file: file, directory: staging) }
    } catch {
      abandon()
      throw error
    }
  }

  private static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
    let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "."
    return cwd == "/" ? "/" + path : cwd + "/" + path
  }

  public func append(_ record: CleverRecord) throws {
    try tables[record.file]!.append(record)
  }

  public func rows(of file: CleverFile) -> Int { tables[file]!.rows }

  /// Finishes every file and swaps the new set in. The five required files are always
  /// written (header only when empty); staff.csv only when there are staff.
  public func commit() throws -> [FileRecord] {
    precondition(!finished, "commit once")
    finished = true
    do {
      var written: [FileRecord] = []
      for file in CleverFile.allCases {
        let table = tables[file]!
        guard file.isRequired || table.rows > 0 else {
          table.abandon()
          continue
        }
        let result = try table.finish(to: staging + "/" + file.fileName)
        written.append(
          FileRecord(name: file.fileName, path: directory + "/" + file.fileName, rows: result.rows,
                      bytes: result.bytes, sha256: result.sha256))
      }
      try swapIn()
      return written
    } catch {
      for table in tables.values { table.abandon() }
      POSIXFile.removeTree(staging)
      throw error
    }
  }

  /// Gives up: nothing in the target changes.
  public func abandon() {
    guard !finished else { return }
    finished = true
    for table in tables.values { table.abandon() }
    POSIXFile.removeTree(staging)
  }

  private func swapIn() throws {
    let ours = Set(CleverFile.allCases.map(\.fileName))
    if POSIXFile.exists(directory) {
      // Keep whatever else the user keeps in the directory (not our files, which the
      // new set replaces: a stale staff.csv must not outlive a set without staff).
      for (name, isDirectory) in try POSIXFile.entries(of: directory) where !ours.contains(name) {
        if isDirectory {
          throw StageFailure(
            .cannotCreate, code: "E_OUTPUT",
            "\(directory) holds a directory, \(name): clever-csv replaces the output directory as a whole; give it a directory of its own")
        }
        if link(directory + "/" + name, staging + "/" + name) != 0 {
          throw POSIXFile.failure("keep \(name) from", directory)
        }
      }
      var info = stat()
      if stat(directory, &info) == 0 { chmod(staging, info.st_mode & 0o7777) }
      POSIXFile.syncDirectory(staging)
      if directory_exchange(staging, directory) == 0 {
        POSIXFile.syncDirectory(parent)
        POSIXFile.removeTree(staging)  // now the previous set
        return
      }
      guard errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP else {
        throw POSIXFile.failure("replace", directory)
      }
      try renameFileByFile(ours: ours)
    } else {
      POSIXFile.syncDirectory(staging)
      if rename(staging, directory) != 0 { throw POSIXFile.failure("create", directory) }
      POSIXFile.syncDirectory(parent)
    }
  }

  /// For file systems without RENAME_EXCHANGE: each file is replaced atomically, the
  /// set only file by file. Required files go last, students.csv very last.
  private func renameFileByFile(ours: Set<String>) throws {
    let order: [CleverFile] = [.staff, .schools, .teachers, .sections, .enrollments, .students]
    for file in order {
      let source = staging + "/" + file.fileName
      let target = directory + "/" + file.fileName
      if POSIXFile.exists(source) {
        if rename(source, target) != 0 { throw POSIXFile.failure("replace", target) }
      } else {
        unlink(target)
      }
    }
    POSIXFile.syncDirectory(directory)
    POSIXFile.removeTree(staging)
  }

  /// Removes staging directories that a killed run left beside the target (their
  /// process no longer exists).
  private static func removeAbandonedStaging(in parent: String, for baseName: String) {
    guard let names = try? POSIXFile.entries(of: parent) else { return }
    let prefix = ".\(baseName)\(stagingMarker)"
    for (name, isDirectory) in names where isDirectory && name.hasPrefix(prefix) {
      let pidText = name.dropFirst(prefix.count).prefix { $0 != "-" }
      guard let pid = Int32(pidText), kill(pid, 0) != 0, errno == ESRCH else { continue }
      removeTree(parent + "/" + name)
    }
  }

  private static func removeTree(_ path: String) { POSIXFile.removeTree(path) }
}
