import Foundation
import SyncProfile

/// A fleet's profiles: every `*.toml` in one folder, each a profile named after its file.
///
/// Re-read cheaply: `refresh` looks at the folder's mtime (a file added, removed or
/// renamed into place) and each file's mtime and size, and reloads only what changed. A
/// broken profile is reported once per change of its file and left out; it never stops
/// the others.
public final class ProfileDirectory {
  public let folder: String
  let environment: [String: String]
  let report: (String) -> Void
  /// The profiles that loaded, by name.
  public private(set) var members: [String: FleetMember] = [:]
  private var stamps: [String: FileStamp] = [:]
  private var folderStamp: FileStamp?

  public init(folder: String, environment: [String: String], report: @escaping (String) -> Void) {
    self.folder = folder
    self.environment = environment
    self.report = report
  }

  /// Whether the folder itself changed since the last `refresh` (cheap: one stat).
  public var folderChanged: Bool { FileStamp(folder) != folderStamp }

  /// Re-reads what changed; says which profiles were added, changed or removed.
  @discardableResult
  public func refresh() -> (added: [String], changed: [String], removed: [String]) {
    folderStamp = FileStamp(folder)
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
    var added: [String] = [], changed: [String] = []
    var present = Set<String>()
    for file in names {
      let path = folder.hasSuffix("/") ? folder + file : folder + "/" + file
      let name = SyncProfile.profileName(path)
      present.insert(name)
      let stamp = FileStamp(path)
      guard stamp != stamps[name] else { continue }
      let known = stamps[name] != nil
      stamps[name] = stamp
      do {
        let profile = try SyncProfile.load(path: path, name: name, environment: environment)
        members[name] = try FleetMember(profile: profile, environment: environment)
        if known { changed.append(name) } else { added.append(name) }
      } catch let problems as ProfileProblems {
        members[name] = nil
        report("profile \(name) is skipped until its file is fixed: " + problems.lines.joined(separator: "; "))
      } catch {
        members[name] = nil
        // Not the file's fault (a database down, a full disk): tried again at the next refresh.
        stamps[name] = nil
        report("profile \(name) is skipped until its history can be opened (tried again every --poll): \(error)")
      }
    }
    let removed = stamps.keys.filter { !present.contains($0) }.sorted()
    for name in removed {
      stamps[name] = nil
      members[name] = nil
    }
    return (added, changed, removed)
  }
}

/// What tells a file changed without reading it: mtime (to the nanosecond), size, inode.
struct FileStamp: Equatable {
  let seconds: Int, nanoseconds: Int, size: Int64, inode: UInt64

  init?(_ path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    seconds = info.st_mtim.tv_sec
    nanoseconds = info.st_mtim.tv_nsec
    size = Int64(info.st_size)
    inode = UInt64(info.st_ino)
  }
}
