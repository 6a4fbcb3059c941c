import Foundation
import Testing

@testable import SyncProfile

/// man/clever-sync.5 against the code: it lists exactly the keys ProfileSchema knows, table
/// by table, and its example profile loads.
@Suite struct ManPageTests {
  static let page: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return try! String(contentsOf: root.appendingPathComponent("man/clever-sync.5"), encoding: .utf8)
  }()

  /// Subsection title ("Top level", "[sftp]", "[[blackout]]") → the keys its `.It Li` items name.
  static var documentedKeys: [String: Set<String>] {
    var result: [String: Set<String>] = [:]
    var section: String?
    for line in page.split(separator: "\n") {
      if line.hasPrefix(".Ss ") || line.hasPrefix(".Sh ") {
        let title = String(line.dropFirst(4))
        section = title == "Top level" ? "" : title.hasPrefix("[") ? title.trimmingCharacters(in: ["[", "]"]) : nil
      } else if let section, line.hasPrefix(".It Li ") {
        let words = line.dropFirst(7).split(separator: " ").prefix { $0 != "Pq" }.filter { $0 != "," }
        result[section, default: []].formUnion(words.map(String.init))
      }
    }
    return result
  }

  @Test func everyKeyIsDocumented() {
    let documented = Self.documentedKeys
    #expect(Set(documented.keys) == Set(ProfileSchema.keys.keys))
    for (table, keys) in ProfileSchema.keys {
      #expect(documented[table] == Set(keys), "table \"\(table)\"")
    }
  }

  /// The literal blocks of EXAMPLES that are profiles (they start with a comment).
  static var exampleProfiles: [String] {
    let examples = page.components(separatedBy: ".Sh EXAMPLES")[1].components(separatedBy: ".Sh ")[0]
    return examples.components(separatedBy: ".Bd -literal -offset indent\n").dropFirst()
      .map { $0.components(separatedBy: "\n.Ed")[0].replacingOccurrences(of: "\\e", with: "\\") }
      .filter { $0.hasPrefix("#") }
  }

  @Test func examplesLoad() throws {
    let profiles = Self.exampleProfiles
    #expect(profiles.count == 2)
    for text in profiles {
      let profile = try ProfileFixture.load(text)
      #expect(profile.timeZone == "America/Chicago")
    }
    let district = try ProfileFixture.load(profiles[0])
    #expect(district.blackouts.map(\.description) == ["summer 2026-06-15..2026-08-20", "winter break 2026-12-21..2027-01-01"])
    #expect(district.guardPercents["students.csv"] == 5 && district.guardPercents["enrollments.csv"] == 20)
  }
}
