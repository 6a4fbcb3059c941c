// swift-tools-version:5.4
// libFuzzer harness for CSVCodec (see README.md; run.sh builds it outside the repo).
// Sources/CSVCodec is not kept here: run.sh copies the repo's Sources/CSVCodec/*.swift
// (and Sources/RecordStream/*.swift, for its UTF-8 check)
// into a work folder next to this file's copy, so the repo's .build is never touched.
//
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM links executables on Linux with
// `--defsym main=<Target>_main`, a symbol that -parse-as-library never defines, so the link
// fails ("undefined symbol 'CSVFuzz_main'"); with 5.4 libFuzzer's own main is the entry point.
//
// Build: swift build -c debug -j 1 -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
  name: "csvfuzz",
  targets: [
    .target(name: "RecordStream"),
    .target(name: "CSVCodec", dependencies: ["RecordStream"]),
    .executableTarget(name: "CSVFuzz", dependencies: ["CSVCodec"]),
  ]
)
