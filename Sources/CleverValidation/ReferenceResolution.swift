import CleverFormat
import RosterRecords

/// The rows a record names: its school, its teachers, section and student. A named row
/// already seen decides at once (rejected: this one is lost with it); one not seen yet
/// is waited for in a ReferenceBook until it comes or the input ends (ValidatorEnd.swift).
extension CleverValidator {
  /// Judges the record's references, setting `reason` when it is lost for one; returns
  /// whether it waits on a row not judged yet (so the rows naming it wait with it).
  func resolveReferences(
    of record: CleverRecord, id: String, school: String, source: String, line: Int, rows: Int, reason: inout String?,
    say: (ValidationCode, String, String?, String?) -> Void
  ) -> Bool {
    let file = record.file
    // Rows it names. Rows not seen yet are waited for; the waits are booked at the end,
    // once it is known whether this row is rejected anyway (then it is reported for the
    // missing row too, but not counted as dropped twice).
    var waitsOnSchool = ""
    var waits: [(CleverFile, String, String)] = []  // (file, target, column)
    if file != .schools, !school.isEmpty, !(file == .staff && school == CleverSpec.districtOfficeSchoolID),
      !absentFiles.contains(.schools)
    {
      if let target = seen[CleverFile.schools.ordinal][school] {
        if !target.valid, reason == nil {
          reason = "its school \"\(school)\" is rejected"
          say(.lost, "lost with its school \"\(school)\", which Clever rejects: \(why(.schools, school))", "School_id", school)
        }
      } else if completeFiles.contains(.schools) {
        if reason == nil { reason = "its school \"\(school)\" is not in schools.csv" }
        say(.unknownSchool, "School_id \"\(school)\" is not in schools.csv", "School_id", school)
      } else {
        waitsOnSchool = school
      }
    }
    for (column, position, targetFile) in Self.references[file.ordinal]
    where reason == nil && !absentFiles.contains(targetFile) {
      let target = record[position: position]
      if target.isEmpty { continue }
      if let entry = seen[targetFile.ordinal][target] {
        if !entry.valid {
          reason = "its \(targetFile.noun) \"\(target)\" is rejected"
          say(.lost, "lost with its \(targetFile.noun) \"\(target)\" (\(column)), which Clever rejects: \(why(targetFile, target))",
              column, target)
        } else if entry.waiting || (schoolNames[Int(entry.school)] != school && !isKnownValidSchool(entry.school)) {
          // It may yet be rejected: for a row it waits on, or for a school of its own
          // that has not come (this row's own school covers the usual case).
          waits.append((targetFile, target, column))
        }
      } else if completeFiles.contains(targetFile) {
        reason = "its \(targetFile.noun) \"\(target)\" is not in \(targetFile.fileName)"
        say(Self.unknownCode(targetFile), "\(column) \"\(target)\" is not in \(targetFile.fileName)", column, target)
      } else {
        waits.append((targetFile, target, column))
      }
    }
    let counted = reason == nil
    if !waitsOnSchool.isEmpty {
      waitingForSchool.add(
        target: waitsOnSchool,
        .init(file: file, source: source, line: line, id: id, column: "School_id", rows: rows, school: "",
              section: record[.sectionID], counted: counted))
    }
    for (targetFile, target, column) in waits {
      waitingFor[targetFile]!.add(
        target: target,
        .init(file: file, source: source, line: line, id: id, column: column, rows: rows, school: waitsOnSchool,
              section: record[.sectionID], counted: counted))
    }
    return !waits.isEmpty
  }

  /// The columns naming a teacher, section or student, from the spec (schools apart),
  /// with their positions, by file ordinal: built once, read for every record.
  static let references: [[(column: String, position: Int, target: CleverFile)]] = CleverFile.allCases.map { file in
    file.columns.enumerated().compactMap { position, column in
      guard let target = column.references, target != .schools else { return nil }
      return (column.name, position, target)
    }
  }

  func isKnownValidSchool(_ index: UInt16) -> Bool {
    seen[CleverFile.schools.ordinal][schoolNames[Int(index)]]?.valid == true
  }
}
