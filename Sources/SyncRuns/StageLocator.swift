import Foundation

/// Finds the executables clever-sync starts: beside clever-sync's own executable (a
/// build or an install puts the six tools together), else in an absolute folder of
/// PATH. Never in the current directory, whatever PATH says (an empty entry, `.` or a
/// relative folder all mean it): a file there named `qs-extract` is not ours to run.
public struct StageLocator: Sendable {
  /// The folder of the running executable.
  public let ownFolder: String
  public let path: String

  public init(
    ownFolder: String = StageLocator.runningExecutableFolder,
    path: String = ProcessInfo.processInfo.environment["PATH"] ?? ""
  ) {
    self.ownFolder = ownFolder
    self.path = path
  }

  public static var runningExecutableFolder: String {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
  }

  /// The folders searched, in order.
  public var folders: [String] {
    var folders = [ownFolder]
    for entry in path.split(separator: ":", omittingEmptySubsequences: true) where entry.hasPrefix("/") {
      if !folders.contains(String(entry)) { folders.append(String(entry)) }
    }
    return folders
  }

  /// The executable `name`'s path; `name` with a slash is taken as it is (a notify command).
  public func locate(_ name: String) throws(RunFailure) -> String {
    if name.contains("/") {
      guard FileManager.default.isExecutableFile(atPath: name) else {
        throw RunFailure("\(name) is not an executable file")
      }
      return name
    }
    for folder in folders {
      let candidate = folder + "/" + name
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue,
        FileManager.default.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
    }
    throw RunFailure(
      "cannot find \(name): looked beside clever-sync in \(ownFolder) and on PATH "
        + "(\(folders.dropFirst().joined(separator: ":").isEmpty ? "no absolute folder" : folders.dropFirst().joined(separator: ":"))), "
        + "never in the current directory. Install the six tools together (qs-extract, clever-map, clever-validate, "
        + "clever-csv, sftp-put, clever-sync: `make install` puts all six in /usr/local/bin, the Debian package "
        + "in /usr/bin; `make release` builds them in .build/release), or put their folder on PATH")
  }
}
