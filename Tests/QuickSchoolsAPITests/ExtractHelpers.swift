import Foundation
@testable import TestHarness

extension QSServer {
  /// The built qs-extract against this server, with the example school's key, no rate
  /// limit, and `options`.
  func extract(_ options: String = "", key: String = QSServer.exampleKey) throws -> Shell.Result {
    try Shell.run("qs-extract --base-url \(baseURL) --rate 0 \(options)", environment: ["QS_API_KEY": key])
  }
}

extension Shell.Result {
  /// The qs.* records, normalized as ExtractCommandTests.expectedRecords() is.
  var qsRecords: [NSDictionary] {
    records.filter { $0["type"] as? String != "extract" }.map(ExtractCommandTests.normalized)
  }

  /// The W_QS_FALLBACK warnings on standard error.
  var fallbacks: [String] { stderr.split(separator: "\n").filter { $0.contains("[W_QS_FALLBACK]") }.map(String.init) }
}
