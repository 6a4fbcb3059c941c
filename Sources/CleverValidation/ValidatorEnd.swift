import CleverFormat
import RecordStream

/// The end of the input: the rows still waiting on a row they name are resolved (lost
/// with it, or naming one that never came), and empty sections reported.
extension CleverValidator {
  /// Resolves the rows still waiting on a row they name, and reports empty sections.
  ///
  /// Schools first: a row whose school never came is reported once, for its school.
  /// Then teachers, students and sections, in that order, so that a section lost with its
  /// teacher takes the enrollments waiting on it along.
  public func finish() {
    var failedSchools = Set<String>()
    for school in waitingForSchool.order {
      if let entry = seen[CleverFile.schools.ordinal][school], entry.valid { continue }
      failedSchools.insert(school)
      resolveSchool(waitingForSchool.waiting[school]!, school: school)
    }
    var dropped = Set<String>()
    for targetFile in [CleverFile.teachers, .students, .sections] {
      let book = waitingFor[targetFile]!
      for target in book.order {
        let entry = seen[targetFile.ordinal][target]
        let ownSchool = entry.map { schoolNames[Int($0.school)] } ?? ""
        if let entry, entry.valid, !failedSchools.contains(ownSchool) { continue }
        let code: ValidationCode = entry == nil ? Self.unknownCode(targetFile) : .lost
        let rejection = entry == nil ? "" : entry!.valid
          ? "its school \"\(ownSchool)\" is not there or rejected" : why(targetFile, target)
        var shown = 0
        var unshown = 0
        for referrer in book.waiting[target]!.referrers {
          let message = entry == nil
            ? "\(referrer.column) \"\(target)\" is not in \(targetFile.fileName)"
            : "lost with its \(targetFile.noun) \"\(target)\" (\(referrer.column)), which Clever rejects: \(rejection)"
          if shown < (options.placesPerReference ?? Int.max) {
            emit(code, message, file: referrer.file, source: referrer.source, line: referrer.line, id: referrer.id,
                 field: referrer.column, value: target)
            shown += 1
          } else {
            reports[referrer.file, default: FileReport()].errors += 1
            unshown += 1
          }
          // Dropped once, whatever the number of reasons.
          let first = referrer.counted && !failedSchools.contains(referrer.school) && dropped.insert(referrer.key).inserted
          lose(referrer, count: first, reason: entry == nil
               ? "its \(targetFile.noun) \"\(target)\" is not in \(targetFile.fileName)"
               : "its \(targetFile.noun) \"\(target)\" is rejected")
        }
        if unshown > 0 {
          note("... and \(unshown) more rows name \(targetFile.noun) \"\(target)\" [\(code.rawValue)] (--all lists them)")
        }
      }
    }
    // Without enrollments to count, no section can be called empty.
    let counted = !absentFiles.contains(.enrollments)
    let sections = seen[CleverFile.sections.ordinal].filter {
      counted && $0.value.valid && (sectionEnrollments[$0.key] ?? 0) == 0
    }
    for (id, entry) in sections.sorted(by: { ($0.value.source, $0.value.line) < ($1.value.source, $1.value.line) }) {
      emit(.emptySection, "section has no enrollments; Clever ignores it", file: .sections,
           source: sources[Int(entry.source)], line: Int(entry.line), id: id, field: "Section_id", value: id)
    }
  }

  /// A row found lost at the end: counted as dropped, and marked rejected so that the
  /// rows waiting on it are lost in turn.
  private func lose(_ referrer: ReferenceBook.Referrer, count: Bool, reason: String) {
    if count {
      reports[referrer.file, default: FileReport()].droppedRows += referrer.rows
      if referrer.file == .enrollments, !referrer.section.isEmpty, let enrollments = sectionEnrollments[referrer.section] {
        sectionEnrollments[referrer.section] = enrollments - 1
      }
    }
    guard !referrer.id.isEmpty, seen[referrer.file.ordinal][referrer.id]?.valid == true else { return }
    seen[referrer.file.ordinal][referrer.id]!.valid = false
    reasons[referrer.file.ordinal][referrer.id] = reason
  }

  private func resolveSchool(_ waiting: ReferenceBook.Waiting, school: String) {
    let known = seen[CleverFile.schools.ordinal][school] != nil
    let code: ValidationCode = known ? .lost : .unknownSchool
    for referrer in waiting.referrers {
      let message = known
        ? "lost with its school \"\(school)\", which Clever rejects: \(why(.schools, school))"
        : "School_id \"\(school)\" is not in schools.csv"
      emit(code, message, file: referrer.file, source: referrer.source, line: referrer.line, id: referrer.id,
           field: "School_id", value: school)
      lose(referrer, count: referrer.counted, reason: known ? "its school \"\(school)\" is rejected" : "its school \"\(school)\" is not in schools.csv")
    }
    // Rows past the places kept are counted, not printed one by one.
    let unshown = waiting.count - waiting.referrers.count
    guard unshown > 0 else { return }
    note("... and \(unshown) more rows name school \"\(school)\" [\(code.rawValue)] (--all lists them)")
    for (file, records) in waiting.records {
      let shown = waiting.referrers.filter { $0.file == file }
      reports[file, default: FileReport()].errors += records - shown.count
      reports[file, default: FileReport()].droppedRows +=
        (waiting.rows[file] ?? 0) - shown.filter(\.counted).reduce(0) { $0 + $1.rows }
    }
  }
}
