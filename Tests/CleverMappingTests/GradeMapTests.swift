import CleverFormat
import RecordStream
import Testing

@testable import CleverMapping

/// The user's own grade table (`--grade-map FILE`): `FROM = TO`, `#` comments, blank lines.
@Suite("GradeMap")
struct GradeMapTests {
  static func parse(_ text: String, file: String = "grades.txt") -> Result<GradeMap, StageFailure> {
    do throws(StageFailure) {
      return .success(try GradeMap(parsing: text, fileName: file))
    } catch {
      return .failure(error)
    }
  }

  @Test("comments, blank lines, spaces and case")
  func parsesAFile() throws {
    let text = """
      # Our grade levels
      K = Kindergarten

        Pre-K=PreKindergarten   # the morning group
      5A   =   5
      Blue Room = preschool
      \tGR9\t=\t9\t
      Gr 9 = 9
      HS = UNGRADED
      #   = 7
      X = other
      """
    let map = try Self.parse(text).get()
    #expect(!map.isEmpty)
    #expect(map["K"] == .kindergarten)
    #expect(map["k"] == .kindergarten)
    #expect(map[" k "] == .kindergarten)
    #expect(map["pre-k"] == .preKindergarten)
    #expect(map["PRE-K"] == .preKindergarten)
    #expect(map["5a"] == .g5)
    #expect(map["blue room"] == .preschool)
    #expect(map["BLUE ROOM"] == .preschool)
    #expect(map["gr9"] == .g9)
    #expect(map["gr 9"] == .g9)
    #expect(map["hs"] == .ungraded)
    #expect(map["x"] == .other)
    // Commented and unknown keys are not in the map; "" never is.
    #expect(map["7"] == nil)
    #expect(map["6"] == nil)
    #expect(map[""] == nil)
    #expect(map["  "] == nil)
    // Inner spaces count: "Blue  Room" is another key.
    #expect(map["Blue  Room"] == nil)
  }

  @Test("an empty or comment-only file is an empty map", arguments: ["", "\n\n", "# nothing\n   # more\n", "  \t \r\n"])
  func emptyFile(text: String) throws {
    let map = try Self.parse(text).get()
    #expect(map.isEmpty)
    #expect(map == GradeMap())
  }

  /// A grade map saved by a Windows editor ends its lines with CR LF. In Swift "\r\n" is
  /// one Character, so splitting on "\n" and trimming "\r" must not be done per Character.
  @Test("CRLF line endings")
  func crlf() throws {
    let map = try Self.parse("K = Kindergarten\r\n1st = 1\r\n").get()
    #expect(map["k"] == .kindergarten)
    #expect(map["1ST"] == .g1)
  }

  @Test("the same mapping twice is no conflict")
  func sameMappingTwice() throws {
    let map = try Self.parse("K = Kindergarten\nk = kindergarten\n").get()
    #expect(map["K"] == .kindergarten)
  }

  @Test(
    "errors name file:line and exit with configuration (78)",
    arguments: [
      ("K Kindergarten", 1, "expected 'FROM = TO'"),
      ("# header\n\nK = Kindergarten\nfifth grade\n", 4, "expected 'FROM = TO'"),
      ("K = Kindergarten\n= 5\n", 2, "nothing before '='"),
      ("  = 5", 1, "nothing before '='"),
      ("K = Kinder\n", 1, "is not a Clever grade"),
      ("\n\n5th = 14\n", 3, "is not a Clever grade"),
      ("K =\n", 1, "is not a Clever grade"),
      ("K = 5 = 6\n", 1, "is not a Clever grade"),
      ("K = Kindergarten\n# again\nk = 1\n", 3, "is mapped twice"),
      ("Blue Room = 2\nBLUE ROOM = 3", 2, "is mapped twice"),
    ] as [(String, Int, String)])
  func errors(text: String, line: Int, message: String) {
    switch Self.parse(text, file: "my-grades.map") {
    case .success: Issue.record("no error for \(text.debugDescription)")
    case .failure(let failure):
      #expect(failure.kind == .configuration)
      #expect(failure.code == "E_GRADE_MAP")
      #expect(failure.place == "my-grades.map:\(line)")
      #expect(failure.message.contains(message), "\(failure.message)")
    }
  }

  @Test("an unknown grade's error lists the allowed values")
  func unknownGradeListsAllowed() {
    guard case .failure(let failure) = Self.parse("K = Kinder") else {
      Issue.record("no error")
      return
    }
    for grade in CleverGrade.allCases { #expect(failure.message.contains(grade.rawValue)) }
  }

  @Test("a double mapping's error names both grades")
  func doubleMappingNamesBoth() {
    guard case .failure(let failure) = Self.parse("K = Kindergarten\nK = TransitionalKindergarten") else {
      Issue.record("no error")
      return
    }
    #expect(failure.message.contains("Kindergarten"))
    #expect(failure.message.contains("TransitionalKindergarten"))
  }

  @Test("entries: keys trimmed and case-insensitive")
  func entries() {
    let map = GradeMap(entries: [" Room A ": .g3])
    #expect(map["room a"] == .g3)
    #expect(map["ROOM A"] == .g3)
    #expect(GradeMap(entries: [:]).isEmpty)
  }

  @Test("a parsed map drives the mapper")
  func drivesMapper() throws {
    let map = try Self.parse("5 = 6\nBlue Room = Preschool").get()
    let mapper = GradeMapper(userMap: map)
    #expect(mapper.grade(abbreviation: "5") == (.g6, .userMap))
    #expect(mapper.grade(abbreviation: "BR", className: "blue room") == (.preschool, .userMap))
  }
}
