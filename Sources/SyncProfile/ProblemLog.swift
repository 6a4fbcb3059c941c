/// What one load has found wrong so far, and what it needs to say where: problems are
/// gathered, not thrown, so that one `config check` shows every mistake.
final class ProblemLog {
  let keyLines: KeyLines
  /// The folder of the profile file, which relative paths are under.
  let folder: String
  let home: String?
  private(set) var problems: [ProfileProblem] = []

  init(keyLines: KeyLines, folder: String, home: String?) {
    self.keyLines = keyLines
    self.folder = folder
    self.home = home
  }

  func report(at path: [String], _ message: String) {
    problems.append(ProfileProblem(line: path.isEmpty ? nil : keyLines.line(of: path), message))
  }

  /// A log for reading a stand-in table, whose problems are not to be reported.
  func discarding() -> ProblemLog { ProblemLog(keyLines: keyLines, folder: folder, home: home) }

  /// In line order, problems about the whole file last; same line: in the order found.
  var sorted: [ProfileProblem] {
    problems.enumerated()
      .sorted { ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset) }
      .map(\.element)
  }
}
