import RecordStream
import RosterRecords

/// A JUnit XML report for CI systems: a test suite per file, a failing test case per
/// error (a passing one for a file without errors), warnings as system-out.
public struct JUnitReport {
  /// Beyond this many failures per file the rest are counted in one case.
  public static let failuresPerFile = 1000

  private var failures: [String: [Diagnostic]] = [:]
  private var uncounted: [String: Int] = [:]
  private var warnings: [String: Int] = [:]
  /// Under --strict a warning fails, as it fails the run.
  private let strict: Bool
  /// Records from a stream: suites by record type, since every line is in `<stdin>`.
  private let byRecordType: Bool

  public init(strict: Bool = false, byRecordType: Bool = false) {
    self.strict = strict
    self.byRecordType = byRecordType
  }

  public mutating func add(_ diagnostic: Diagnostic) {
    let file = (byRecordType ? diagnostic.recordType : diagnostic.file) ?? "validation"
    guard diagnostic.severity == .error || strict else {
      warnings[file, default: 0] += 1
      return
    }
    if failures[file, default: []].count < Self.failuresPerFile {
      failures[file, default: []].append(diagnostic)
    } else {
      uncounted[file, default: 0] += 1
    }
  }

  /// The XML, with one suite for each of `files` (in order) and any file with findings.
  public func xml(files: [String]) -> String {
    var names = files
    for name in failures.keys.sorted() + warnings.keys.sorted() where !names.contains(name) { names.append(name) }
    var suites = ""
    var total = 0
    var failed = 0
    for name in names {
      let cases = failures[name] ?? []
      let extra = uncounted[name] ?? 0
      let count = max(1, cases.count + (extra > 0 ? 1 : 0))
      total += count
      failed += cases.count + (extra > 0 ? 1 : 0)
      suites += "  <testsuite name=\"\(escape(name))\" tests=\"\(count)\" failures=\"\(cases.count + (extra > 0 ? 1 : 0))\" errors=\"0\">\n"
      if cases.isEmpty && extra == 0 {
        suites += "    <testcase classname=\"clever-validate\" name=\"\(escape(name))\"/>\n"
      }
      for diagnostic in cases {
        let place = diagnostic.line.map { "\(name):\($0)" } ?? name
        suites += "    <testcase classname=\"\(escape(diagnostic.code))\" name=\"\(escape(place))\">\n"
        suites += "      <failure type=\"\(escape(diagnostic.code))\" message=\"\(escape(diagnostic.message))\"/>\n"
        suites += "    </testcase>\n"
      }
      if extra > 0 {
        suites += "    <testcase classname=\"clever-validate\" name=\"\(escape(name)): \(extra) more errors\">\n"
        suites += "      <failure type=\"more\" message=\"\(extra) more errors not listed\"/>\n    </testcase>\n"
      }
      if let count = warnings[name] {
        suites += "    <system-out>\(count) warning\(count == 1 ? "" : "s")</system-out>\n"
      }
      suites += "  </testsuite>\n"
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"clever-validate\" tests=\"\(total)\" failures=\"\(failed)\">\n"
      + suites + "</testsuites>\n"
  }

  private func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default:
        // XML 1.0 cannot carry most control characters, even escaped.
        if let ascii = character.asciiValue, ascii < 0x20, ascii != 0x09, ascii != 0x0A, ascii != 0x0D {
          out += "?"
        } else {
          out.append(character)
        }
      }
    }
    return out
  }
}
