import CleverFormat
import RecordStream
import RosterRecords
import Testing

/// CleverLineDecoder reads the common shape of a Clever line without a JSON tree; for
/// every line it accepts it must give exactly what the general way gives (JSONParser,
/// then CleverRecord(object:)). Mutated lines, from a fixed seed, hold the two together.
@Suite struct CleverLineDecoderTests {
  static let samples: [String] = {
    var student = CleverRecord(.students)
    student[.schoolID] = "S1"
    student[.studentID] = "ST1"
    student[.lastName] = "O'Connor"
    student[.firstName] = "Zoë"
    student.setExtension("ext.house", "Blue")
    student.contacts = [["Contact_name": "Ana Ruiz", "Contact_type": "Family", "Contact_phone": "5551234567"], [:]]
    var section = CleverRecord(.sections)
    section[.schoolID] = "S1"
    section[.sectionID] = "SE1"
    section[.teacherID] = "T1"
    return [student.jsonLine, section.jsonLine, CleverRecord(.students).jsonLine,
            #"{"type":"clever.teacher","School_id":"S1","Teacher_id":"T1","note":"not a column","ext.x":"y"}"#,
            #"{"type":"clever.student","Student_id":"ST2","Contact_name":"not here","contacts":[{"Grade":"1"}]}"#]
  }()

  static func general(_ line: String) -> CleverRecord? {
    guard case .object(let object)? = try? JSONParser.parse(line) else { return nil }
    return try? CleverRecord(object: object)
  }

  static func decoded(_ line: String) -> CleverRecord? {
    var text = line
    return text.withUTF8 { CleverLineDecoder.decode($0) }
  }

  @Test func readsTheLinesTheStagesWrite() {
    for line in Self.samples {
      let record = Self.decoded(line)
      #expect(record != nil, "\(line)")
      #expect(record == Self.general(line), "\(line)")
    }
  }

  @Test func leavesOtherShapesToTheGeneralWay() {
    let others = [
      #"{"type": "clever.section","School_id":"S1"}"#,  // a space
      #"{"School_id":"S1","type":"clever.section"}"#,  // type not first
      #"{"type":"clever.section","Section_id":"SE\"1"}"#,  // an escape
      #"{"type":"clever.section","Period":3}"#,  // a number
      #"{"type":"clever.section","Period":null}"#,
      #"{"type":"clever.section","type":"clever.teacher"}"#,
      #"{"type":"clever.teacher","contacts":[]}"#,  // contacts are students' only
      #"{"type":"clever.student","contacts":[],"contacts":[]}"#,
      #"{"type":"qs.student","id":"1"}"#,
      #"{"type":"clever.section"} "#,
    ]
    for line in others { #expect(Self.decoded(line) == nil, "\(line)") }
  }

  @Test func agreesWithTheGeneralWayOnMutatedLines() {
    var random = SplitMix(seed: 15)
    let alphabet = Array(#"{}[]":,\ nt0u19aéSC_-."#.utf8) + [0x00, 0x1F, 0xC3, 0xA9]
    var accepted = 0
    for round in 0..<20_000 {
      var bytes = Array(Self.samples[round % Self.samples.count].utf8)
      for _ in 0...(random.next() % 3) {
        let at = Int(random.next() % UInt64(bytes.count + 1))
        let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
        switch random.next() % 3 {
        case 0: bytes.insert(byte, at: at)
        case 1: if at < bytes.count { bytes.remove(at: at) }
        default: if at < bytes.count { bytes[at] = byte }
        }
      }
      guard let line = String(validating: bytes, as: UTF8.self) else { continue }
      guard let record = Self.decoded(line) else { continue }
      accepted += 1
      // Equal records, and the same bytes written (String's == ignores canonical equivalence).
      let general = Self.general(line)
      #expect(record == general, "\(line)")
      #expect(Array(record.jsonLine.utf8) == general.map { Array($0.jsonLine.utf8) }, "\(line)")
    }
    #expect(accepted > 1000, "the mutations should leave many lines in the decoder's shape")
  }
}

/// A small seeded generator (SplitMix64), so that every run mutates the same way.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
