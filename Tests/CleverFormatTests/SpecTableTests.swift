import CleverFormat
import Testing

/// The spec table, CleverSpec, against clever-format.md: what every other module reads
/// from it must hold here first.
@Suite struct SpecTableTests {
  @Test(arguments: CleverFile.allCases) func columnsAreUniqueAndTheRequiredOnesComeFirst(_ file: CleverFile) {
    let names = file.columns.map { $0.name.lowercased() }
    #expect(Set(names).count == names.count, "a column twice in \(file.fileName)")
    #expect(file.columns.first?.name == "School_id", "every file starts with School_id")
    if let id = file.idColumn {
      #expect(file.columns.contains { $0.name == id.text && $0.requirement == .required })
    }
    for column in file.uniqueColumns { #expect(file.columns.contains { $0.name == column.text }) }
  }

  @Test func referencesNameFilesWithAnIDColumn() {
    for file in CleverFile.allCases {
      for column in file.columns {
        guard let target = column.references else { continue }
        #expect(target.idColumn != nil, "\(file.fileName).\(column.name) names \(target.fileName), which has no ID")
        #expect(column.requirement != .requiredWithContact)
      }
    }
    #expect(CleverFile.sections.columns.filter { $0.references == .teachers }.count == 10, "Teacher_id and 9 co-teachers")
    #expect(CleverSpec.coTeacherColumns.first == "Teacher_2_id" && CleverSpec.coTeacherColumns.last == "Teacher_10_id")
  }

  @Test func onlyStudentsHaveContactsAndTheyAreWhatTheDocumentLists() {
    #expect(CleverSpec.contactColumns.map(\.name) == [
      "Contact_relationship", "Contact_type", "Contact_name", "Contact_phone", "Contact_phone_type", "Contact_email",
      "Contact_sis_id",
    ])
    for file in CleverFile.allCases where file != .students { #expect(!file.columns.contains { $0.isContact }) }
    #expect(CleverSpec.contactColumns.filter { $0.requirement == .requiredWithContact }.map(\.name)
      == ["Contact_type", "Contact_name"])
  }

  @Test func filesHaveTheirNamesRecordTypesAndOrders() {
    for file in CleverFile.allCases {
      #expect(CleverFile(fileName: file.fileName.uppercased()) == file)
      #expect(CleverFile(recordType: file.recordType) == file)
      #expect(file.isRequired == (file != .staff))
    }
    #expect(Set(CleverFile.uploadOrder) == Set(CleverFile.allCases))
    #expect(CleverFile.uploadOrder.last == .students)
    #expect(CleverFile.allCases.map(\.ordinal) == Array(0..<CleverFile.allCases.count))
  }

  @Test func allowedValuesAreComparedWithoutRegardToCaseAndAliasesAreKept() {
    #expect(CleverSpec.genders.canonical("f") == "F")
    #expect(CleverSpec.staffRoles.canonical("stl") == "School Tech Lead")
    #expect(CleverSpec.homeLanguages.values.count == 152)
    #expect(Set(CleverSpec.homeLanguages.values).count == 152)
    #expect(CleverSpec.homeLanguages.canonical("HAITIAN CREOLE") == "Haitian Creole")
    #expect(CleverSpec.homeLanguages.canonical("Klingon") == nil)
    #expect(CleverSpec.frl.canonical("Other") == nil, "the API's Other has no SFTP letter")
    #expect(CleverSpec.phoneTypes.canonical("other") == "Other")
    #expect(CleverGrade(matching: "other") == .other)
    // Every word names a value on its list.
    for allowed in [CleverSpec.genders, CleverSpec.yesNo, CleverSpec.frl, CleverSpec.contactTypes,
                    CleverSpec.contactRelationships] {
      for (word, value) in allowed.words { #expect(allowed.values.contains(value), "\(allowed.name): \(word)") }
    }
  }

  @Test func formatsAcceptWhatTheDocumentSays() {
    #expect(ValueFormat.date(birth: true).accepts("02/29/2024"))
    #expect(!ValueFormat.date(birth: true).accepts("02/29/2025"))
    #expect(!ValueFormat.date(birth: true).accepts("2/9/2025"))
    #expect(ValueFormat.phone.accepts("15551234567") && !ValueFormat.phone.accepts("555-123-4567"))
    #expect(ValueFormat.zip.accepts("627041234") && !ValueFormat.zip.accepts("6270"))
    #expect(ValueFormat.state.accepts("il") && !ValueFormat.state.accepts("ILL"))
    #expect(ValueFormat.grade(allowsRange: true).accepts("9-12") && !ValueFormat.grade(allowsRange: false).accepts("9-12"))
    #expect(ValueFormat.email.accepts("a@b.org") && !ValueFormat.email.accepts("a@b") && !ValueFormat.email.accepts("a b@c.org"))
  }
}

/// The documented form of a value Clever's demo files write otherwise.
@Suite struct DocumentedFormTests {
  @Test func birthDatesAreInThePastAndTermDatesNearThisYear() {
    let year = DocumentedForm.currentYear
    let next = (year + 1) % 100
    #expect(DocumentedForm.fullYear(next, birth: true) == year + 1 - 100)
    #expect(DocumentedForm.fullYear(next, birth: false) == year + 1)
    #expect(DocumentedForm.fullYear(year % 100, birth: true) == year)
    #expect(DocumentedForm.of("11/1/98", .date(birth: true)) == "11/01/1998")
    #expect(DocumentedForm.of("2/30/98", .date(birth: true)) == nil, "not a real date")
    #expect(DocumentedForm.of("11/01/1998", .date(birth: true)) == nil, "already documented")
    #expect(DocumentedForm.of("1998-11-01", .date(birth: true)) == nil, "no one obvious reading")
  }

  @Test func phonesLoseTheirPunctuationAndExtension() {
    #expect(DocumentedForm.of("(336)533-1632 x218", .phone) == "3365331632")
    #expect(DocumentedForm.of("1-919-721-2809 EXT 676", .phone) == "19197212809")
    #expect(DocumentedForm.of("+1 336 533 1632", .phone) == "13365331632")
    #expect(DocumentedForm.of("533-1632", .phone) == nil, "seven digits are not a number Clever takes")
    #expect(DocumentedForm.of("call home", .phone) == nil)
    #expect(DocumentedForm.of("336.533.1632 ext. 12", .phone) == "3365331632")
    #expect(DocumentedForm.of("336-533-1632Extension7", .phone) == "3365331632")
    #expect(DocumentedForm.of("336-533-1632 x", .phone) == nil, "an x without digits is not an extension")
    #expect(DocumentedForm.of("336-533-1632 y12", .phone) == nil, "only x, ext and extension introduce one")
  }

  @Test func wordsBecomeTheirValues() {
    let gender = ValueFormat.oneOf(CleverSpec.genders)
    #expect(DocumentedForm.of("female", gender) == "F")
    #expect(DocumentedForm.of(" Male ", gender) == "M")
    #expect(DocumentedForm.of("Q", gender) == nil)
    #expect(DocumentedForm.of("Uncle", .oneOf(CleverSpec.contactTypes)) == "Family")
    #expect(DocumentedForm.of("Uncle", .oneOf(CleverSpec.contactRelationships)) == "Aunt/Uncle")
    #expect(DocumentedForm.of("Family Friend", .oneOf(CleverSpec.contactTypes)) == nil)
    #expect(DocumentedForm.of("Paid", .oneOf(CleverSpec.frl)) == "N")
    #expect(DocumentedForm.of("0", .grade(allowsRange: false)) == "Kindergarten")
  }
}
