extension SyncProfile.Mapping {
  /// Reads `[mapping]`, clever-map's options, with its rule that strict grades and a
  /// grade map exclude each other.
  init(reading t: TableReader) {
    let source = t.string("school_id") ?? "id"
    if !["id", "code"].contains(source) {
      t.problem("school_id", "\(t.label("school_id")) must be \"id\" or \"code\", not \"\(source)\"")
    }
    schoolId = source
    gradeMap = t.path("grade_map")
    strictGrades = t.bool("strict_grades") ?? false
    if strictGrades, t.has("grade_map") {
      t.problem("strict_grades", "\(t.label("strict_grades")) cannot go with grade_map: strict grades take "
        + "Clever's exact values only (remove one of the two)")
    }
  }
}
