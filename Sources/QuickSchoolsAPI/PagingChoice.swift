import Foundation
import RecordStream
import RosterRecords

/// How one school's API pages its listings. Public clients only ever send
/// `itemsPerPage` (`page` is seen only as a field of the answers), so `page` is not
/// confirmed: when page 2 comes back as page 1, the other plausible spellings are tried
/// on page 2, and the first that moves serves the rest of the school's listings.
/// Shared by the school's walkers (enrollments run several at once), hence the lock.
final class PagingChoice: @unchecked Sendable {
  /// The spellings tried, `page` first.
  static let parameters = ["page", "pageNumber", "pageNo", "currentPage", "pageIndex"]

  private let lock = NSLock()
  private var chosen = "page"
  private var announced: Set<String> = []
  let code: String
  let report: (Diagnostic) -> Void

  init(code: String = "", parameter: String = "page", report: @escaping (Diagnostic) -> Void = { _ in }) {
    self.code = code
    self.report = report
    chosen = parameter
  }

  var parameter: String { lock.withLock { chosen } }

  func choose(_ parameter: String) { lock.withLock { chosen = parameter } }

  /// A fallback, said once per kind.
  func announce(_ kind: String, _ message: String) {
    let first = lock.withLock { announced.insert(kind).inserted }
    if first { report(Diagnostic(.warning, ExtractCode.fallback.rawValue, "\(code): \(message)")) }
  }
}
