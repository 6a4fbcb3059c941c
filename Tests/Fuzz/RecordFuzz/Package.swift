// swift-tools-version:5.4
// libFuzzer harness for the stream's line reading (see README.md; run.sh builds it outside
// the repo from fresh copies of Sources/RecordStream, CleverFormat and RosterRecords).
// Tools version 5.4 for the reason given in ../CSVFuzz/Package.swift.
//
// Build: swift build -c debug -j 1 -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
  name: "recordfuzz",
  targets: [
    .target(name: "RecordStream"),
    .target(name: "CleverFormat", dependencies: ["RecordStream"]),
    .target(name: "RosterRecords", dependencies: ["RecordStream", "CleverFormat"]),
    .executableTarget(name: "RecordFuzz", dependencies: ["RecordStream", "CleverFormat", "RosterRecords"]),
  ]
)
