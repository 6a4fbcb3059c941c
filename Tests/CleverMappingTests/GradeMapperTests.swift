import CleverFormat
import Testing

@testable import CleverMapping

/// mapping-rules.md, "Grade".
enum GradeFixtures {
  /// Every Clever grade value (clever-format.md section 5), written out from the document.
  static let cleverValues = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "InfantToddler", "Preschool",
    "PreKindergarten", "TransitionalKindergarten", "Kindergarten", "PostGraduate", "Ungraded", "Other",
  ]

  /// The ways an exact value may be written: any case, surrounding spaces [required].
  static func caseAndSpaceVariants(_ value: String) -> [String] {
    [value, value.lowercased(), value.uppercased(), "  \(value)  ", "\t\(value)\n", " \(value.uppercased())\t "]
  }

  /// The named spellings of mapping-rules.md, Grade rule 2, with the grade each gives.
  static let namedSpellings: [(String, CleverGrade)] = [
    ("K", .kindergarten), ("KG", .kindergarten), ("KN", .kindergarten), ("Kinder", .kindergarten),
    ("0", .kindergarten),
    ("PK", .preKindergarten), ("Pre-K", .preKindergarten), ("PreK", .preKindergarten),
    ("Pre-Kindergarten", .preKindergarten), ("-1", .preKindergarten),
    ("TK", .transitionalKindergarten),
    ("PS", .preschool), ("Pre-School", .preschool),
    ("IT", .infantToddler), ("Infant", .infantToddler), ("Toddler", .infantToddler),
    ("PG", .postGraduate), ("Post-Graduate", .postGraduate),
    ("UG", .ungraded),
  ]

  static let ordinalWords = [
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh",
    "Twelfth", "Thirteenth",
  ]

  static func ordinalSuffix(_ n: Int) -> String {
    switch n {
    case 1: "st"
    case 2: "nd"
    case 3: "rd"
    default: "th"  // 4th...13th (11th, 12th, 13th included)
    }
  }

  /// `1st`, `First`, `Grade 1`, `Gr 1`, `G1`, `01`, `1st Grade` "and so on to 13".
  static func numberedSpellings(_ n: Int) -> [String] {
    let nth = "\(n)\(ordinalSuffix(n))"
    let word = ordinalWords[n - 1]
    var spellings = [nth, word, "Grade \(n)", "Gr \(n)", "G\(n)", "\(nth) Grade", "\(word) Grade"]
    if n < 10 { spellings.append("0\(n)") }
    return spellings
  }

  static let numberedCases: [(String, CleverGrade)] = (1...13).flatMap { n in
    numberedSpellings(n).map { ($0, CleverGrade(rawValue: String(n))!) }
  }

  /// Every spelling of rule 2, named or numbered.
  static let allSpellings: [(String, CleverGrade)] = namedSpellings + numberedCases
}

@Suite("GradeMapper")
struct GradeMapperTests {
  @Test("the Clever values are the document's")
  func cleverValues() {
    #expect(CleverGrade.allCases.map(\.rawValue).sorted() == GradeFixtures.cleverValues.sorted())
  }

  @Test(
    "an exact Clever value in any case or spaces is that value [required], strict or not",
    arguments: GradeFixtures.cleverValues, [false, true])
  func exact(value: String, strict: Bool) {
    let mapper = GradeMapper(strict: strict)
    for written in GradeFixtures.caseAndSpaceVariants(value) {
      let (grade, source) = mapper.grade(abbreviation: written)
      #expect(grade.rawValue == value, "\"\(written)\"")
      #expect(source == .exact, "\"\(written)\"")
    }
  }

  @Test("named spellings [ours]", arguments: GradeFixtures.namedSpellings)
  func namedSpelling(spelling: String, expected: CleverGrade) {
    let mapper = GradeMapper()
    for written in [spelling, spelling.lowercased(), spelling.uppercased(), " \(spelling) "] {
      let (grade, source) = mapper.grade(abbreviation: written)
      #expect(grade == expected, "\"\(written)\"")
      #expect(source == .spelling, "\"\(written)\"")
    }
  }

  @Test("numbered spellings 1...13 [ours]", arguments: 1...13)
  func numberedSpelling(n: Int) {
    let mapper = GradeMapper()
    let expected = CleverGrade(rawValue: String(n))!
    for spelling in GradeFixtures.numberedSpellings(n) {
      for written in [spelling, spelling.lowercased(), spelling.uppercased()] {
        let (grade, source) = mapper.grade(abbreviation: written)
        #expect(grade == expected, "\"\(written)\"")
        #expect(source == .spelling, "\"\(written)\"")
      }
    }
  }

  @Test("the test's spelling list covers what the document names")
  func spellingListIsComplete() {
    let listed = Set(GradeFixtures.allSpellings.map(\.0))
    for required in [
      "K", "KG", "KN", "Kinder", "0", "PK", "Pre-K", "PreK", "Pre-Kindergarten", "-1", "TK", "PS", "Pre-School",
      "IT", "Infant", "Toddler", "1st", "First", "Grade 1", "Gr 1", "G1", "01", "1st Grade", "13th", "Thirteenth",
      "Grade 13", "Gr 13", "G13", "13th Grade", "PG", "Post-Graduate", "UG",
    ] {
      #expect(listed.contains(required), "\(required)")
    }
    #expect(GradeFixtures.numberedCases.count == 9 * 8 + 4 * 7)
  }

  @Test("strict mode gives exactly the required behaviour: every spelling becomes Other")
  func strictSpellings() {
    let mapper = GradeMapper(strict: true)
    for (spelling, _) in GradeFixtures.allSpellings {
      let (grade, source) = mapper.grade(abbreviation: spelling)
      #expect(grade == .other, "\"\(spelling)\"")
      #expect(source == .unmapped, "\"\(spelling)\"")
      // Nor is the class name used for spellings in strict mode.
      let byName = mapper.grade(abbreviation: "X", className: spelling)
      #expect(byName.grade == .other && byName.source == .unmapped, "class \"\(spelling)\"")
    }
  }

  @Test("strict mode: only exact values pass (required rule, literally)")
  func strictIsRequiredRule() {
    let mapper = GradeMapper(strict: true)
    for text in ["5", " kindergarten ", "ungraded", "OTHER"] {
      #expect(mapper.grade(abbreviation: text).source == .exact, "\"\(text)\"")
    }
    for text in ["05", "K", "5th", "Grade 5", "", "Fifth"] {
      #expect(mapper.grade(abbreviation: text) == (.other, .unmapped), "\"\(text)\"")
    }
  }

  @Test(
    "what is not a grade becomes Other, from no rule",
    arguments: [
      "14", "Grade 14", "14th", "Fourteenth", "5F", "", "   ", "K-5", "6-8", "K5", "Senior", "Freshman", "Gr",
      "Grade", "G", "th", "0th", "-2", "100", "Kindergarten 2", "Pre", "Infant/Toddler", "5 6 7", "Grade 5A",
    ])
  func notAGrade(text: String) {
    let (grade, source) = GradeMapper().grade(abbreviation: text)
    #expect(grade == .other, "\"\(text)\" gave \(grade)")
    #expect(source == .unmapped)
  }

  /// A combined class's abbreviation ("1-2": first and second grade) is not one of the
  /// spellings of mapping-rules.md and must become Other with a warning. Squashing out
  /// the hyphen must not turn it into grade 12 (or "1-3" into 13, "1.1" into 11).
  @Test("grade ranges and dotted numbers are not spellings of another grade", arguments: ["1-2", "1-3", "1 - 2", "1.1", "1 0", "1_2"])
  func rangesAreNotGrades(text: String) {
    let (grade, source) = GradeMapper().grade(abbreviation: text)
    #expect(grade == .other, "\"\(text)\" gave \(grade)")
    #expect(source == .unmapped)
  }

  @Test("the class name is used when the abbreviation is no spelling")
  func byClassName() {
    let mapper = GradeMapper()
    #expect(mapper.grade(abbreviation: "V", className: "Fifth Grade") == (.g5, .spelling))
    #expect(mapper.grade(abbreviation: "", className: "Kindergarten") == (.kindergarten, .spelling))
    #expect(mapper.grade(abbreviation: "", className: "Pre-K") == (.preKindergarten, .spelling))
    // The abbreviation's spelling wins over the name's.
    #expect(mapper.grade(abbreviation: "K", className: "First Grade") == (.kindergarten, .spelling))
    // An exact abbreviation wins over a name's spelling.
    #expect(mapper.grade(abbreviation: "3", className: "Fourth Grade") == (.g3, .exact))
    // Neither: Other.
    #expect(mapper.grade(abbreviation: "Z", className: "Zebras") == (.other, .unmapped))
  }

  @Test("the user's map wins over everything")
  func userMapWins() {
    let map = GradeMap(entries: ["5": .g6, "K": .transitionalKindergarten, "Blue Room": .preschool, "Z": .ungraded])
    let mapper = GradeMapper(userMap: map)
    // Over an exact value.
    #expect(mapper.grade(abbreviation: "5") == (.g6, .userMap))
    #expect(mapper.grade(abbreviation: " 5 ") == (.g6, .userMap))
    // Over a spelling, in any case.
    #expect(mapper.grade(abbreviation: "k") == (.transitionalKindergarten, .userMap))
    // Over Other.
    #expect(mapper.grade(abbreviation: "z") == (.ungraded, .userMap))
    // By class name, when the abbreviation is not in the map, even over an exact abbreviation.
    #expect(mapper.grade(abbreviation: "7", className: "blue room") == (.preschool, .userMap))
    #expect(mapper.grade(abbreviation: "", className: " Blue Room ") == (.preschool, .userMap))
    // The abbreviation's entry wins over the name's.
    #expect(mapper.grade(abbreviation: "5", className: "Blue Room") == (.g6, .userMap))
    // Not in the map: the other rules.
    #expect(mapper.grade(abbreviation: "6") == (.g6, .exact))
    #expect(mapper.grade(abbreviation: "6th") == (.g6, .spelling))
    #expect(mapper.grade(abbreviation: "Q") == (.other, .unmapped))
  }

  @Test("the user's map applies in strict mode too")
  func userMapInStrictMode() {
    let mapper = GradeMapper(strict: true, userMap: GradeMap(entries: ["K": .kindergarten, "Room 9": .g9]))
    #expect(mapper.grade(abbreviation: "K") == (.kindergarten, .userMap))
    #expect(mapper.grade(abbreviation: "", className: "room 9") == (.g9, .userMap))
    #expect(mapper.grade(abbreviation: "KG") == (.other, .unmapped))
  }

  @Test("GradeSpellings.squash")
  func squash() {
    #expect(GradeSpellings.squash(" Pre-K ") == "prek")
    #expect(GradeSpellings.squash("Post_Graduate.") == "postgraduate")
    #expect(GradeSpellings.squash("Gr\t1") == "gr1")
  }
}
