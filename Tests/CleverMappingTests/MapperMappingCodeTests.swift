import CleverFormat
import RosterRecords
import RecordStream
import Testing
@testable import CleverMapping

// MARK: Every code

/// A small input that produces each code clever-map's mapper can produce. `E_EMPTY` is
/// the command's (an input without records), not the mapper's.
let codeScenarios: [MappingCode: (input: [QSRecord], options: MappingOptions)] = [
  .gradeUnmapped: ([qsSchool(), qsClass("C", abbreviation: "Blue"), qsStudent("A", classId: "C")], MappingOptions()),
  .sectionNoTeacher: ([qsSchool(), qsSection("X", teachers: [])], MappingOptions()),
  .sectionTooManyTeachers: ([qsSchool(), qsSection("X", teachers: (1...11).map { "T\($0)" })], MappingOptions()),
  .sectionDuplicateTeacher: ([qsSchool(), qsSection("X", teachers: ["T1", "T1"])], MappingOptions()),
  .subjectUnknown: ([qsSchool(), qsSection("X") { $0.subject = "Juggling" }], MappingOptions()),
  .enrollmentDropped: ([qsSchool(), qsEnrollment(section: "X", student: "A")], MappingOptions()),
  .contactPhone: ([qsSchool(), qsStudent("A", guardians: [guardian("G", home: "123")])], MappingOptions()),
  .contactEmail: ([qsSchool(), qsStudent("A", guardians: [guardian("G", email: "x@")])], MappingOptions()),
  .contactNoName: ([qsSchool(), qsStudent("A", guardians: [guardian("G", first: "", last: "")])], MappingOptions()),
  .duplicateGuardian: ([qsSchool(), qsStudent("A", guardians: [guardian("G"), guardian("G")])], MappingOptions()),
  .email: ([qsSchool(), qsStudent("A") { $0.email = "nope" }], MappingOptions()),
  .date: ([qsSchool(), qsStudent("A") { $0.birthDate = "yesterday" }], MappingOptions()),
  .gender: ([qsSchool(), qsStudent("A") { $0.gender = "?" }], MappingOptions()),
  .address: ([qsSchool(), qsStudent("A") { $0.zip = "1" }], MappingOptions()),
  .phone: ({ var s = QSSchool(); s.id = "S1"; s.phone = "911"; return [QSRecord.school(s)] }(), MappingOptions()),
  .nameSplit: ([qsSchool(), qsStudent("A") { $0.firstName = ""; $0.lastName = ""; $0.fullName = "A B" }], MappingOptions()),
  .unknownSchool: ([qsStudent("A", school: "S9")], MappingOptions()),
  .unknownClass: ([qsSchool(), qsStudent("A", classId: "C9")], MappingOptions()),
  .unknownSemester: ([qsSchool(), qsTerm("A", active: true), qsSection("X", term: "B")], MappingOptions()),
  .unknownTerm: ([qsSchool(), qsSection("X")], MappingOptions(term: "Never")),
  .noActiveTerm: ([qsSchool(), qsTerm("A"), qsSection("X", term: "A")], MappingOptions()),
  .noSchoolCode: ([qsSchool("S1", code: "")], MappingOptions(schoolIDSource: .code)),
  .lateReference: ([qsSchool(), qsStudent("A", school: "S2"), qsSchool("S2")], MappingOptions()),
]

@Suite("RosterMapper: every MappingCode")
struct MappingCodeTests {
  // E_EMPTY and E_CUT_SHORT concern the whole stream: clever-map's command finds them
  // (EndToEnd and ExtractBracket tests), not the mapper.
  @Test(
    "each code the mapper can produce is produced",
    arguments: MappingCode.allCases.filter { $0 != .empty && $0 != .cutShort })
  func produced(code: MappingCode) {
    guard let scenario = codeScenarios[code] else {
      Issue.record("no scenario for \(code.rawValue)")
      return
    }
    let run = MapperRun(scenario.input, options: scenario.options)
    #expect(run.allCodes.contains(code.rawValue), "got \(run.allCodes.sorted())")
    // Warnings are diagnostics; errors are RecordError or StageFailure.
    if code.rawValue.hasPrefix("W_") {
      #expect(run.diagnostics(code).allSatisfy { $0.severity == .warning && $0.file == "in.ndjson" && $0.line != nil })
    } else {
      #expect(run.diagnostics(code).isEmpty)
    }
  }

  @Test("codes are W_ or E_, distinct, and each has a summary")
  func codes() {
    let raw = MappingCode.allCases.map(\.rawValue)
    #expect(Set(raw).count == raw.count)
    for code in MappingCode.allCases {
      #expect(code.rawValue.hasPrefix("W_") || code.rawValue.hasPrefix("E_"))
      #expect(!code.summary.isEmpty)
    }
  }
}
