#if canImport(Glibc)
  import Glibc
#endif
import Foundation
import RecordStream

/// What a run shows while its stages work. Each stage that ends gets one line (its
/// status, time and closing line), in a pipe or a journal as on a terminal; a terminal
/// also gets a status line, redrawn a few times a second, with the stage that is
/// running, the bytes each stage has written so far and the time, when TerminalStyle
/// allows it.
public final class PipelineDisplay {
  let label: String
  let terminal: Bool
  let say: (String) -> Void
  private var names: [String] = []
  private var lastDraw = 0.0
  private var drawn = false

  public init(label: String, terminal: Bool = TerminalStyle.onStandardError, say: @escaping (String) -> Void) {
    self.label = label
    self.terminal = terminal
    self.say = say
  }

  func begin(_ names: [String]) { self.names = names }

  func ended(_ outcome: StageOutcome, log: String) {
    clear()
    let time = String(format: "%.1f s", outcome.seconds)
    let closing = StagePipeline.lastLine(in: log).map { ": " + Self.trimmed($0, stage: outcome.name) } ?? ""
    if outcome.status == 0 {
      say("\(label): \(outcome.name) done in \(time)\(closing)")
    } else if let signal = outcome.stoppedBy {
      say("\(label): \(outcome.name) stopped by \(StopSignals.name(signal)) after \(time)\(closing)")
    } else {
      say("\(label): \(outcome.name) failed (exit \(outcome.status)) after \(time)\(closing)")
    }
  }

  func update(_ children: [ChildProcess], seconds: Double) {
    guard terminal, seconds - lastDraw >= 0.25 else { return }
    lastDraw = seconds
    let parts = children.map { child -> String in
      let bytes = Self.bytesWritten(child.pid).map { " " + Self.size($0) } ?? ""
      return child.status == nil ? "\(child.name)\(bytes)" : "\(child.name) ✓"
    }
    let line = "\(label): " + parts.joined(separator: " | ") + String(format: "  %.0f s", seconds)
    let width = Int(Self.columns())
    let shown = line.count > width - 1 ? String(line.prefix(width - 2)) + "…" : line
    write("\r\u{1B}[K" + shown)
    drawn = true
  }

  func finish() { clear() }

  private func clear() {
    if drawn {
      write("\r\u{1B}[K")
      drawn = false
    }
  }

  private func write(_ text: String) {
    let bytes = Array(text.utf8)
    _ = Glibc.write(2, bytes, bytes.count)
  }

  /// A stage's own closing line, without its name (the display says it already).
  static func trimmed(_ line: String, stage: String) -> String {
    line.hasPrefix(stage + ": ") ? String(line.dropFirst(stage.count + 2)) : line
  }

  /// What a process has written so far (`wchar` of /proc/PID/io), its progress.
  static func bytesWritten(_ pid: pid_t) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
      return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }

  static func size(_ bytes: Int) -> String {
    bytes < 1_000_000 ? String(format: "%.0f kB", Double(bytes) / 1e3) : String(format: "%.1f MB", Double(bytes) / 1e6)
  }

  static func columns() -> UInt16 {
    var size = winsize()
    return ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 10 ? size.ws_col : 80
  }
}
