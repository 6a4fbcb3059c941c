#if canImport(Glibc)
  import Glibc
#endif
import Foundation
import QuickSchoolsAPI
import RecordStream

/// The progress line (requests, records, the resource being read), on stderr when
/// TerminalStyle allows it, redrawn at most ten times a second.
final class ExtractProgress: @unchecked Sendable {
  private let shown = TerminalStyle.onStandardError
  private let lock = NSLock()
  private var requests = 0
  private var records = 0
  private var current = ""
  private var drawn = false
  private var lastDraw = ContinuousClock.now

  func phase(_ school: String, _ resource: String) {
    lock.withLock { current = "\(school) \(resource)" }
    draw(force: true)
  }

  @Sendable func request(_ request: APIRequest) {
    lock.withLock { requests += 1 }
    draw(force: false)
  }

  func record() {
    let count = lock.withLock { records += 1; return records }
    if count & 1023 == 0 { draw(force: false) }
  }

  func finish() {
    lock.withLock {
      if drawn { Self.write("\r\u{1B}[K") }
      drawn = false
    }
  }

  private func draw(force: Bool) {
    guard shown else { return }
    lock.withLock {
      let now = ContinuousClock.now
      guard force || lastDraw.duration(to: now) > .milliseconds(100) else { return }
      lastDraw = now
      drawn = true
      Self.write("\r\u{1B}[Kqs-extract: \(requests) requests, \(records) records, reading \(current)")
    }
  }

  private static func write(_ text: String) {
    let bytes = Array(text.utf8)
    _ = Glibc.write(2, bytes, bytes.count)
  }

  /// The closing line: counts per record type, requests, retries, time.
  static func closingLine(_ summary: ExtractSummary, seconds: Duration) -> String {
    let counts = summary.counts.map { "\($0.count) \($0.type)" }.joined(separator: ", ")
    let time = Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18
    let schools = summary.schools == 1 ? "1 school" : "\(summary.schools) schools"
    return "\(schools) read: \(counts.isEmpty ? "no records" : counts); \(plural(summary.requests, "request")), "
      + "\(plural(summary.retries, "retry", "retries")), \(String(format: "%.1f", time)) s"
  }

  private static func plural(_ count: Int, _ one: String, _ many: String? = nil) -> String {
    "\(count) \(count == 1 ? one : many ?? one + "s")"
  }
}
