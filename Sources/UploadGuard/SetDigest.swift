#if canImport(Glibc)
  import Glibc
#endif
import CleverFiles
import CleverFormat
import RecordStream
import RosterRecords

/// One record of a file, as little as comparing needs: a hash of its rows and the
/// schools it belongs to.
struct RecordDigest {
  /// The wrapping sum of the hashes of the record's rows: a student's contact rows, a
  /// staff member's school rows, in any order and even when they are not consecutive.
  var rows: UInt64
  /// The record's `School_id`, interned (see `SchoolIDs`).
  var school: Int32
  /// Further distinct `School_id`s, for a staff member with one row per school.
  var otherSchools: [Int32] = []

  func belongs(to school: Int32) -> Bool { self.school == school || otherSchools.contains(school) }
}

/// School IDs as small numbers, shared by both sets of a comparison so that record
/// digests hold an integer instead of a string.
struct SchoolIDs {
  private var indexes: [String: Int32] = [:]
  private(set) var ids: [String] = []

  mutating func intern(_ id: String) -> Int32 {
    if let index = indexes[id] { return index }
    let index = Int32(ids.count)
    indexes[id] = index
    ids.append(id)
    return index
  }

  func index(of id: String) -> Int32? { indexes[id] }
}

/// What the guard keeps of one file of a set: each record's key and digest.
struct FileDigest {
  var records: [String: RecordDigest] = [:]
  /// For schools.csv only: each school's name and number, to recognise a school whose
  /// ID changed. (Schools are few; the other files keep nothing but keys and hashes.)
  var schools: [String: (name: String, number: String)] = [:]
}

/// One Clever CSV set, reduced to digests: the files it has, by CleverSpec order.
struct SetDigest {
  var files: [CleverFile: FileDigest] = [:]

  /// Reads every Clever file present in `directory`; `role` ("previous", "next") names
  /// the set in errors, which also name the file and line.
  static func read(directory: String, role: String, schoolIDs: inout SchoolIDs) throws -> SetDigest {
    let trimmed = POSIXPath.trimmingTrailingSlashes(directory)
    guard POSIXPath.isDirectory(trimmed) else {
      throw StageFailure(
        .noInput, code: "E_GUARD_SET", "the \(role) set \(trimmed) is not a readable directory",
        place: trimmed)
    }
    var set = SetDigest()
    for file in CleverFile.allCases {
      let path = trimmed + "/" + file.fileName
      guard access(path, F_OK) == 0 else { continue }
      set.files[file] = try readFile(file, path: path, directory: trimmed, role: role, schoolIDs: &schoolIDs)
    }
    return set
  }

  static func readFile(
    _ file: CleverFile, path: String, directory: String, role: String, schoolIDs: inout SchoolIDs
  ) throws -> FileDigest {
    var digest = FileDigest()
    let hashing = RowHashing(file)
    do {
      try CleverSetReader.read(file, path: path) { record in
        guard let key = key(of: record) else { return }  // Clever skips a row without its ID
        let school = schoolIDs.intern(record[.schoolID])
        let rows = hashing.rowsHash(of: record)
        if var known = digest.records[key] {
          known.rows &+= rows
          if !known.belongs(to: school) { known.otherSchools.append(school) }
          digest.records[key] = known
        } else {
          digest.records[key] = RecordDigest(rows: rows, school: school)
          if file == .schools { digest.schools[key] = (record[.schoolName], record[.schoolNumber]) }
        }
      }
    } catch let failure as StageFailure {
      // A file of 0 bytes has no records: compared, not refused (a next set that lost a
      // whole file is exactly what the guard must report).
      if failure.code == "E_CSV_EMPTY" { return FileDigest() }
      throw StageFailure(
        failure.kind, code: failure.code, "in the \(role) set \(directory): \(failure.message)",
        place: failure.place.map { directory + "/" + $0 } ?? path)
    }
    return digest
  }

  /// The record's identity within its file: its ID column, or for an enrollment the
  /// section and student. Nil when empty.
  static func key(of record: CleverRecord) -> String? {
    if let column = record.file.idColumn {
      let id = record[column]
      return id.isEmpty ? nil : id
    }
    let section = record[.sectionID]
    let student = record[.studentID]
    guard !section.isEmpty, !student.isEmpty else { return nil }
    return section + "\u{1F}" + student
  }
}

/// Hashes the rows of a record: every column of the file (School_id included, so a
/// record that moves school is changed), non-empty extension columns in any order, and
/// for a student one hash per contact row.
struct RowHashing {
  let file: CleverFile

  init(_ file: CleverFile) {
    self.file = file
  }

  func rowsHash(of record: CleverRecord) -> UInt64 {
    var hasher = Hasher()
    for field in record.fields { Self.combine(field, into: &hasher) }
    var extensions: UInt64 = 0
    for (name, value) in record.extensions where !value.isEmpty {
      var pair = Hasher()
      Self.combine(name.lowercased(), into: &pair)
      Self.combine(value, into: &pair)
      extensions &+= UInt64(bitPattern: Int64(pair.finalize()))
    }
    hasher.combine(extensions)
    guard file == .students, !record.contacts.isEmpty else { return UInt64(bitPattern: Int64(hasher.finalize())) }
    var sum: UInt64 = 0
    for contact in record.contacts {
      var row = hasher
      for value in contact.values { Self.combine(value, into: &row) }
      sum &+= UInt64(bitPattern: Int64(row.finalize()))
    }
    return sum
  }

  /// The exact bytes, with their length so that fields cannot run into each other.
  static func combine(_ text: String, into hasher: inout Hasher) {
    var text = text
    text.withUTF8 { bytes in
      hasher.combine(bytes.count)
      hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
    }
  }
}
