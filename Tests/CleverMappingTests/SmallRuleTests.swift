import CleverFormat
import Testing

@testable import CleverMapping

// MARK: SectionTeachers (mapping-rules.md, "Co-teachers")

struct TeachersCase: Sendable, CustomTestStringConvertible {
  let name: String
  let input: [String]
  let kept: [String]
  let duplicates: [String]
  let leftOut: [String]
  var testDescription: String { name }
}

func teacherIDs(_ range: ClosedRange<Int>) -> [String] { range.map { "T\($0)" } }

let teachersCases: [TeachersCase] = [
  .init(name: "none", input: [], kept: [], duplicates: [], leftOut: []),
  .init(name: "one", input: ["T1"], kept: ["T1"], duplicates: [], leftOut: []),
  .init(name: "order kept", input: ["T9", "T2", "T5"], kept: ["T9", "T2", "T5"], duplicates: [], leftOut: []),
  .init(name: "duplicate removed, first place kept", input: ["T1", "T2", "T1", "T3"], kept: ["T1", "T2", "T3"],
        duplicates: ["T1"], leftOut: []),
  .init(name: "spaces trimmed, so ' T1 ' is T1", input: ["T1", " T1 ", "T2\t"], kept: ["T1", "T2"],
        duplicates: ["T1"], leftOut: []),
  .init(name: "empty ids ignored", input: ["", "T1", "  ", "T2", "\t"], kept: ["T1", "T2"], duplicates: [],
        leftOut: []),
  .init(name: "only empty ids", input: ["", " "], kept: [], duplicates: [], leftOut: []),
  .init(name: "exactly 10", input: teacherIDs(1...10), kept: teacherIDs(1...10), duplicates: [], leftOut: []),
  .init(name: "11: first 10 kept, 11th left out", input: teacherIDs(1...11), kept: teacherIDs(1...10),
        duplicates: [], leftOut: ["T11"]),
  .init(name: "13: the rest listed in order", input: teacherIDs(1...13), kept: teacherIDs(1...10),
        duplicates: [], leftOut: ["T11", "T12", "T13"]),
  .init(name: "duplicates do not use up places", input: ["T1", "T1", "T1"] + teacherIDs(2...10),
        kept: teacherIDs(1...10), duplicates: ["T1", "T1"], leftOut: []),
  .init(name: "a left-out teacher listed twice is left out once", input: teacherIDs(1...11) + ["T11", "T3"],
        kept: teacherIDs(1...10), duplicates: ["T11", "T3"], leftOut: ["T11"]),
]

@Suite("SectionTeachers")
struct SectionTeachersTests {
  @Test("kept, duplicates, left out", arguments: teachersCases)
  func teachers(_ c: TeachersCase) {
    let teachers = SectionTeachers(c.input)
    #expect(teachers.kept == c.kept)
    #expect(teachers.duplicates == c.duplicates)
    #expect(teachers.leftOut == c.leftOut)
    #expect(teachers.kept.count <= 10)
  }

  @Test("the limit is 10 [required]; 9 co-teacher columns")
  func limit() {
    #expect(SectionTeachers.limit == 10)
    #expect(CleverSpec.coTeacherColumns == (2...10).map { "Teacher_\($0)_id" })
  }
}

// MARK: PersonName (mapping-rules.md, "Other fields")

@Suite("PersonName")
struct PersonNameTests {
  @Test(
    "first and last, or the full name split at the last space",
    arguments: [
      // first, last, full → first, last, wasSplit
      ("Ann", "Lee", "Someone Else", "Ann", "Lee", false),
      (" Ann ", " Lee ", "", "Ann", "Lee", false),
      ("Ann", "", "Ann Marie Lee", "Ann", "", false),  // a given first name wins over splitting
      ("", "Lee", "Ann Marie Lee", "", "Lee", false),  // a given last name wins over splitting
      ("", "", "Ann Lee", "Ann", "Lee", true),
      ("", "", "Ann Marie Lee", "Ann Marie", "Lee", true),
      ("", "", "  Ann   Marie \t Lee  ", "Ann Marie", "Lee", true),
      ("", "", "Mary Ann  van\tDyke", "Mary Ann van", "Dyke", true),
      ("", "", "Cher", "", "Cher", true),
      ("", "", "  Cher  ", "", "Cher", true),
      ("", "", "", "", "", false),
      ("  ", "\t", "   ", "", "", false),
      ("  ", "", "Ann Lee", "Ann", "Lee", true),  // a blank first name is no first name
    ] as [(String, String, String, String, String, Bool)])
  func split(first: String, last: String, full: String, expectedFirst: String, expectedLast: String, split: Bool) {
    let name = PersonName(first: first, last: last, full: full)
    #expect(name.first == expectedFirst)
    #expect(name.last == expectedLast)
    #expect(name.wasSplit == split)
  }
}

// MARK: FieldRules (mapping-rules.md, "Other fields")

@Suite("FieldRules")
struct FieldRulesTests {
  @Test(
    "gender: Male → M, Female → F, non-binary / X → X, anything else empty",
    arguments: [
      ("Male", "M"), ("male", "M"), ("MALE", "M"), (" Male ", "M"), ("M", "M"), ("m", "M"),
      ("Female", "F"), ("female", "F"), ("FEMALE", "F"), ("F", "F"), ("f", "F"),
      ("non-binary", "X"), ("Non-Binary", "X"), ("nonbinary", "X"), ("Non Binary", "X"), ("X", "X"), ("x", "X"),
      ("", ""), ("   ", ""),
      ("other", nil), ("Unknown", nil), ("Boy", nil), ("Mal", nil), ("U", nil),
    ] as [(String, String?)])
  func gender(value: String, expected: String?) {
    #expect(FieldRules.gender(value) == expected)
    if let expected, !expected.isEmpty { #expect(CleverSpec.genders.values.contains(expected)) }
  }

  @Test(
    "dates: YYYY-MM-DD → MM/DD/YYYY; a date that is not real is nil",
    arguments: [
      ("2019-02-28", "02/28/2019"),
      ("2019-02-30", nil),
      ("2024-02-29", "02/29/2024"),  // leap year
      ("2023-02-29", nil),  // not a leap year
      ("2000-02-29", "02/29/2000"),  // divisible by 400
      ("1900-02-29", nil),  // divisible by 100, not 400
      ("2021-04-31", nil),
      ("2021-12-31", "12/31/2021"),
      ("2021-13-01", nil),
      ("2021-00-10", nil),
      ("2021-01-00", nil),
      ("0000-01-01", nil),
      ("03/15/2020", "03/15/2020"),  // already MM/DD/YYYY
      ("02/29/2024", "02/29/2024"),
      ("02/29/2023", nil),
      ("02/30/2020", nil),
      ("2020-03-15T00:00:00Z", "03/15/2020"),  // with a time
      ("2020-03-15T08:30:00-05:00", "03/15/2020"),
      ("2020-03-15 08:30", "03/15/2020"),
      ("2020-02-30T00:00:00Z", nil),
      (" 2020-03-15 ", "03/15/2020"),
      ("", ""),
      ("  ", ""),
      ("2020-3-15", nil),
      ("2020/03/15", nil),
      ("15.03.2020", nil),
      ("3/15/2020", nil),
      ("2020-03-15X", nil),
      ("2020-03-1", nil),
      ("20200315", nil),
      ("March 15, 2020", nil),
      ("2020-ab-15", nil),
    ] as [(String, String?)])
  func date(value: String, expected: String?) {
    #expect(FieldRules.date(value) == expected)
  }

  /// Whatever `date` returns that is not empty must be a date Clever reads: a sign that
  /// `Int(_:)` accepts ("+3") must not slip into MM/DD/YYYY.
  @Test(
    "a date written is always MM/DD/YYYY",
    arguments: ["2020-+3-15", "2020-03-+5", "+202-03-15", "2020--3-15", "2020-03--5", "2020-03-15", "2024-02-29T1"])
  func dateOutputIsCleverDate(value: String) {
    if let date = FieldRules.date(value), !date.isEmpty {
      #expect(FormatCheck.isDate(date), "\"\(value)\" gave \"\(date)\"")
    }
  }

  @Test(
    "zip: 5 or 9 digits, spaces and hyphens removed",
    arguments: [
      ("12345", "12345"), ("12345-6789", "123456789"), ("123456789", "123456789"), (" 12345 ", "12345"),
      ("1234", nil), ("123456", nil), ("1234567890", nil), ("ABCDE", nil), ("K1A 0B1", nil), ("12345-678", nil),
      ("", ""), ("  ", ""), ("-", ""),
    ] as [(String, String?)])
  func zip(value: String, expected: String?) {
    #expect(FieldRules.zip(value) == expected)
  }

  @Test(
    "state: a two-letter code, upper-cased",
    arguments: [
      ("CA", "CA"), ("ca", "CA"), (" Ny ", "NY"), ("California", nil), ("C", nil), ("C1", nil), ("C A", nil),
      ("", ""), ("  ", ""),
    ] as [(String, String?)])
  func state(value: String, expected: String?) {
    #expect(FieldRules.state(value) == expected)
  }

  @Test(
    "email",
    arguments: [
      ("ann@example.org", "ann@example.org"), (" ann@example.org ", "ann@example.org"),
      ("a.b+c@mail.example.co.uk", "a.b+c@mail.example.co.uk"),
      ("ann@example", nil), ("ann.example.org", nil), ("ann@@example.org", nil), ("ann lee@example.org", nil),
      ("@example.org", nil), ("ann@.org", nil), ("ann@example.", nil), ("ann@example..org", nil),
      ("", ""), ("  ", ""),
    ] as [(String, String?)])
  func email(value: String, expected: String?) {
    #expect(FieldRules.email(value) == expected)
  }

  @Test(
    "subject: one of Clever's, in Clever's spelling",
    arguments: [
      ("Math", "Math"), ("math", "Math"), ("MATH", "Math"), (" Science ", "Science"),
      ("english/language arts", "English/language arts"), ("PE and health", "PE and health"),
      ("Other", "other"), ("Homeroom/Advisory", "Homeroom/advisory"),
      ("Mathematics", nil), ("Basket weaving", nil), ("English", nil),
      ("", ""), ("   ", ""),
    ] as [(String, String?)])
  func subject(value: String, expected: String?) {
    #expect(FieldRules.subject(value) == expected)
  }

  @Test("every Clever subject is accepted as itself", arguments: CleverSpec.subjects.values)
  func everySubject(subject: String) {
    #expect(FieldRules.subject(subject) == subject)
    #expect(FieldRules.subject(subject.uppercased()) == subject)
  }
}
