import CSVCodec
import Foundation
import Testing

@Suite(.serialized) struct PipelineTests {
  @Test func exampleSchoolBecomesTheSixCleverFiles() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let result = try Tool.shell("clever-map '\(Tool.exampleSchool)' | clever-csv -o '\(scratch.path)/out'")
    #expect(result.status == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out").sorted()
    #expect(files == ["enrollments.csv", "schools.csv", "sections.csv", "staff.csv", "students.csv", "teachers.csv"])
    let records = result.lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    #expect(records.count == 6)
    #expect(records.allSatisfy { $0?["type"] as? String == "file" })
    #expect(result.stderr.contains("clever-map: mapped 1 school, 38 students (44 contacts)"))
    #expect(result.stderr.contains("clever-csv: wrote 6 files"))

    let schools = try CSVFileReader.rows(of: Array(Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/schools.csv"))))
    let header = schools[0].fields
    let school = Dictionary(uniqueKeysWithValues: zip(header, schools[1].fields))
    #expect(school["School_id"] == "300794", "the school's actual QuickSchools ID")
    #expect(school["Low_grade"] == "PreKindergarten")
    #expect(school["High_grade"] == "3")
  }

  /// The README's main command: the example school's saved API responses, replayed
  /// through every stage, give exactly the files committed beside this test.
  @Test func savedDumpThroughEveryStageGivesTheExpectedFiles() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let dump = Tool.repository.appendingPathComponent("examples/lincoln-academy/dump").path
    let result = try Tool.shell(
      "qs-extract --from '\(dump)' | clever-map | clever-validate --strict | clever-csv write -o '\(scratch.path)/out'")
    #expect(result.status == 0, "\(result.stderr)")
    let expected = Tool.repository.appendingPathComponent("Tests/EndToEndTests/Expected/lincoln-academy").path
    let want = try scratch.snapshot(expected)
    let got = try scratch.snapshot(scratch.path + "/out")
    #expect(want.keys.sorted() == ["enrollments.csv", "schools.csv", "sections.csv", "students.csv", "teachers.csv"])
    #expect(got.keys.sorted() == want.keys.sorted())
    for (name, bytes) in want { #expect(got[name] == bytes, "\(name) differs from Tests/EndToEndTests/Expected") }
  }

  @Test func schoolCodeOptionChangesEverySchoolID() throws {
    let result = try Tool.run("clever-map", ["--school-id", "code", Tool.exampleSchool])
    #expect(result.status == 0)
    let ids = Set(result.lines.compactMap { line -> String? in
      let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return object?["School_id"] as? String
    })
    #expect(ids == ["lincolnacademy"])
  }

  @Test func readThenWriteIsByteIdentical() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let first = try Tool.shell("clever-map '\(Tool.exampleSchool)' 2>/dev/null | clever-csv -o '\(scratch.path)/a'")
    #expect(first.status == 0)
    let again = try Tool.shell("clever-csv read '\(scratch.path)/a' | clever-csv write -o '\(scratch.path)/b'")
    #expect(again.status == 0, "\(again.stderr)")
    let a = try scratch.snapshot(scratch.path + "/a"), b = try scratch.snapshot(scratch.path + "/b")
    #expect(a.keys.sorted() == b.keys.sorted())
    for (name, bytes) in a { #expect(b[name] == bytes, "\(name) differs after read | write") }
  }

  @Test func pythonsCSVModuleReadsTheSameRows() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let out = scratch.path + "/out"
    #expect(try Tool.shell("clever-map '\(Tool.exampleSchool)' 2>/dev/null | clever-csv -o '\(out)'").status == 0)
    let script = """
      import csv, json, sys
      with open(sys.argv[1], newline='', encoding='utf-8') as f:
          print(json.dumps(list(csv.reader(f, strict=True))))
      """
    let scriptPath = try scratch.write("dump.py", script)
    for name in try FileManager.default.contentsOfDirectory(atPath: out) {
      let python = try Tool.run("/usr/bin/env", ["python3", scriptPath, out + "/" + name])
      #expect(python.status == 0, "\(python.stderr)")
      let theirs = try JSONSerialization.jsonObject(with: python.stdout) as? [[String]]
      let ours = try CSVFileReader.rows(of: Array(Data(contentsOf: URL(fileURLWithPath: out + "/" + name)))).map(\.fields)
      #expect(theirs == ours, "\(name)")
    }
  }

  @Test func unknownRecordTypesPassThroughUnchangedInOrder() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let odd = #"{"type":"x.note", "spaced" : [1, 2.50, {"k":"ü"}]}"#
    let input = try scratch.write("in.ndjson", """
      {"type":"qs.school","id":"1","name":"S"}
      \(odd)
      {"type":"qs.teacher","id":"t","firstName":"A","lastName":"B"}
      {"type":"another","n":1}

      """)
    let result = try Tool.run("clever-map", [input])
    #expect(result.status == 0)
    #expect(result.lines.count == 4)
    #expect(result.lines[0] == odd)
    #expect(result.lines[1].hasPrefix(#"{"type":"clever.teacher""#))
    #expect(result.lines[2] == #"{"type":"another","n":1}"#)
    #expect(result.lines[3].hasPrefix(#"{"type":"clever.school""#))
  }

  @Test func aClosedPipeDownstreamEndsQuietly() throws {
    let result = try Tool.shell(
      "for i in $(seq 1 20000); do echo '{\"type\":\"x\",\"i\":'$i'}'; done > /tmp/e2e-pipe.ndjson; "
        + "clever-map /tmp/e2e-pipe.ndjson | head -1; echo \"status ${PIPESTATUS[0]}\"; rm -f /tmp/e2e-pipe.ndjson")
    #expect(result.text == "{\"type\":\"x\",\"i\":1}\nstatus 0\n")
    #expect(result.stderr.isEmpty)
  }

  @Test(arguments: ["clever-map", "clever-csv"])
  func helpAndVersionSucceedAndUsageErrorsExit64(tool: String) throws {
    #expect(try Tool.run(tool, ["--help"]).status == 0)
    #expect(try Tool.run(tool, ["--version"]).status == 0)
    #expect(try Tool.run(tool, ["--no-such-option"]).status == 64)
  }

  @Test func strictGradesCannotBeCombinedWithAGradeMap() throws {
    let result = try Tool.run("clever-map", ["--strict-grades", "--grade-map", "/dev/null"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--strict-grades"))
  }

  @Test func gradeMapFileWinsAndItsErrorsNameTheLine() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let map = try scratch.write("grades.txt", "# ours\nMAS = 2\n")
    let result = try Tool.run("clever-map", ["--grade-map", map, Tool.exampleSchool])
    #expect(result.status == 0)
    #expect(!result.stderr.contains("W_GRADE_UNMAPPED"))
    #expect(!result.text.contains(#""Grade":"Other""#))
    let bad = try scratch.write("bad.txt", "K = Kindergarten\nMAS = Fifth\n")
    let failure = try Tool.run("clever-map", ["--grade-map", bad, Tool.exampleSchool])
    #expect(failure.status == 78)
    #expect(failure.stderr.contains("bad.txt:2: error: [E_GRADE_MAP]"))
  }

  @Test func diagnosticsFileHoldsEveryDiagnosticAsNDJSONMode0600() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let path = scratch.path + "/diag.ndjson"
    let result = try Tool.run("clever-map", ["--diagnostics", path, Tool.exampleSchool])
    #expect(result.status == 0)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
    #expect(lines.count == warnings.count)
    let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
    #expect(first?["type"] as? String == "diagnostic")
    #expect(first?["line"] as? Int != nil)
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }
}
