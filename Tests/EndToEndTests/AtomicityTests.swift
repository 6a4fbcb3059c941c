import Foundation
import Testing

/// `kill -9` at any moment of `clever-csv write` leaves the previous complete set or the
/// new complete set, never a mix or a truncated file.
@Suite(.serialized) struct AtomicityTests {
  @Test func killNineAtRandomMomentsNeverLeavesAMix() throws {
    let scratch = try TempDirectory()
    defer { scratch.remove() }
    let generator = Tool.repository.appendingPathComponent("Tests/Benchmarks/generate-district.py").path
    let big = scratch.path + "/big.ndjson"
    let prepared = try Tool.shell(
      "python3 '\(generator)' --students 20000 --seed 7 | clever-map 2>/dev/null > '\(big)'")
    #expect(prepared.status == 0, "\(prepared.stderr)")
    let small = scratch.path + "/small.ndjson"
    #expect(try Tool.shell("clever-map '\(Tool.exampleSchool)' 2>/dev/null > '\(small)'").status == 0)

    func write(_ input: String, _ directory: String) throws {
      let result = try Tool.run("clever-csv", ["-o", directory, input])
      #expect(result.status == 0, "\(result.stderr)")
    }
    try write(small, scratch.path + "/old")
    let started = Date()
    try write(big, scratch.path + "/new")
    let duration = Date().timeIntervalSince(started)
    let oldSet = try scratch.snapshot(scratch.path + "/old")
    let newSet = try scratch.snapshot(scratch.path + "/new")

    let out = scratch.path + "/out"
    var outcomes: [String: Int] = [:]
    for attempt in 0..<12 {
      try? FileManager.default.removeItem(atPath: out)
      try write(small, out)
      let process = Process()
      process.executableURL = Tool.binaries.appendingPathComponent("clever-csv")
      process.arguments = ["-o", out, big]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Spread the kills over the whole run, and a little past it; the last comes well
      // after it, since a run is slower than the one timed when other tests load the
      // machine.
      let delay = attempt == 11 ? duration * 5 : duration * 1.2 * Double(attempt) / 11.0
      Thread.sleep(forTimeInterval: delay)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let now = try scratch.snapshot(out)
      if now == oldSet {
        outcomes["old", default: 0] += 1
      } else if now == newSet {
        outcomes["new", default: 0] += 1
      } else {
        Issue.record("after kill -9 at \(delay)s the directory holds neither complete set: \(now.keys.sorted())")
      }
    }
    #expect(outcomes["old", default: 0] > 0, "some kills must land before the swap: \(outcomes)")
    #expect(outcomes["new", default: 0] > 0, "some runs must finish: \(outcomes)")
    // The staging directories of killed runs are removed by the next run.
    try write(small, out)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".out") }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }
}
