#if canImport(Glibc)
  import Glibc
#endif
import Foundation
import QuickSchoolsAPI
import RecordStream

/// The progress line (requests, records, the resource being read), on stderr when
/// TerminalStyle allows it, redrawn at most ten times a second. A change that comes
/// sooner than that is drawn when the tenth of a second is up, so the line never stays
/// behind what is happening.
final class ExtractProgress: @unchecked Sendable {
  static let interval = Duration.milliseconds(100)
  private let shown = TerminalStyle.onStandardError
  private let lock = NSLock()
  private var requests = 0
  private var records = 0
  private var current = ""
  private var drawn = false
  private var finished = false
  private var lastDraw = ContinuousClock.now - interval
  /// A draw waits for the end of the interval.
  private var waiting = false

  func phase(_ school: String, _ resource: String) {
    lock.withLock { current = "\(school) \(resource)" }
    draw()
  }

  @Sendable func request(_ request: APIRequest) {
    lock.withLock { requests += 1 }
    draw()
  }

  func record() {
    let count = lock.withLock { records += 1; return records }
    if count & 1023 == 0 { draw() }
  }

  func finish() {
    lock.withLock {
      finished = true
      if drawn { Self.write("\r\u{1B}[K") }
      drawn = false
    }
  }

  private func draw() {
    guard shown else { return }
    lock.withLock { drawOrWait() }
  }

  /// Draws now if the interval since the last draw is up, else once it is; the caller
  /// holds the lock.
  private func drawOrWait() {
    guard !finished, !waiting else { return }
    let due = lastDraw + Self.interval
    let now = ContinuousClock.now
    guard now < due else { return paint(now) }
    waiting = true
    let wait = now.duration(to: due).components
    let nanoseconds = Int(wait.seconds) * 1_000_000_000 + Int(wait.attoseconds / 1_000_000_000) + 1
    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
      lock.withLock {
        waiting = false
        drawOrWait()
      }
    }
  }

  /// Draws the line; the caller holds the lock.
  private func paint(_ now: ContinuousClock.Instant) {
    lastDraw = now
    drawn = true
    Self.write("\r\u{1B}[Kqs-extract: \(requests) requests, \(records) records, reading \(current)")
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
