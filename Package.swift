// swift-tools-version:6.0
import PackageDescription

// Library modules carry the logic, one concern each; every executable is a few lines
// over `Commands`.
let package = Package(
  name: "clever-roster",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "qs-extract", targets: ["qs-extract"]),
    .executable(name: "clever-map", targets: ["clever-map"]),
    .executable(name: "clever-csv", targets: ["clever-csv"]),
    .executable(name: "clever-validate", targets: ["clever-validate"]),
    .executable(name: "sftp-put", targets: ["sftp-put"]),
    .executable(name: "clever-sync", targets: ["clever-sync"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    // The NDJSON record stream shared by every stage: JSON, lines, diagnostics, exit codes.
    .target(name: "RecordStream"),
    // RFC 4180 reading and writing, with physical line numbers for diagnostics.
    .target(name: "CSVCodec"),
    // Clever's SFTP format as data: files, columns, allowed values, formats.
    .target(name: "CleverFormat", dependencies: ["RecordStream"]),
    // Passwords, passphrases and API keys from a variable or a private file, never printed.
    .target(name: "Secrets", dependencies: ["RecordStream"]),
    // The QuickSchools REST API: paging, politeness, retries, saved dumps, `qs.*` records.
    .target(name: "QuickSchoolsAPI", dependencies: ["RecordStream", "QuickSchoolsRecords", "Secrets"]),
    // The `qs.*` records that qs-extract writes and clever-map reads.
    .target(name: "QuickSchoolsRecords", dependencies: ["RecordStream"]),
    // The QuickSchools to Clever rules of mapping-rules.md.
    .target(
      name: "CleverMapping",
      dependencies: ["RecordStream", "CleverFormat", "QuickSchoolsRecords"]),
    // renameat2(RENAME_EXCHANGE), which Swift's Glibc module does not export.
    .target(name: "CDirectoryExchange"),
    // pipe2 and posix_spawn's close-from action, which Swift's Glibc module does not export.
    .target(name: "CChildProcess"),
    // Clever's rules checked before upload: one record at a time, IDs across records.
    .target(name: "CleverValidation", dependencies: ["RecordStream", "CleverFormat", "CleverFiles", "CSVCodec"]),
    // libssh2, the SSH and SFTP client library (apt: libssh2-1-dev).
    .systemLibrary(name: "CLibSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
    // Uploads over SFTP: sessions, host keys, atomic file sets on the server.
    .target(
      name: "SFTPTransfer",
      dependencies: ["CLibSSH2", "RecordStream", "Secrets", .product(name: "Crypto", package: "swift-crypto")]),
    // Clever CSV file sets: written atomically, read back to records.
    .target(
      name: "CleverFiles",
      dependencies: [
        "RecordStream", "CleverFormat", "CSVCodec", "CDirectoryExchange", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // When scheduled runs happen: wall times, repeat rules, daylight saving, blackouts, missed runs.
    .target(name: "RunSchedule"),
    // clever-sync's run history and schedules in an embedded SQLite database.
    .target(name: "RunHistory", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
    // A clever-sync profile: the TOML file, checked line by line.
    .target(name: "SyncProfile", dependencies: ["RunSchedule", .product(name: "TOMLKit", package: "TOMLKit")]),
    // The new set against the last one uploaded: what would be removed, and migrations.
    .target(name: "UploadGuard", dependencies: ["CSVCodec", "CleverFormat", "CleverFiles", "RecordStream"]),
    // Runs of a profile: the stages as executables, the guard, the upload, schedules.
    .target(
      name: "SyncRuns",
      dependencies: [
        "RunHistory", "RunSchedule", "SyncProfile", "UploadGuard", "CleverFiles", "CChildProcess",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // The command-line front ends, one folder per executable.
    .target(
      name: "Commands",
      dependencies: [
        "RecordStream", "CleverFormat", "CleverMapping", "CleverFiles", "QuickSchoolsRecords", "CleverValidation",
        "SFTPTransfer", "Secrets", "QuickSchoolsAPI", "RunHistory", "RunSchedule", "SyncProfile", "SyncRuns",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "qs-extract", dependencies: ["Commands", "RecordStream"]),
    .executableTarget(name: "clever-map", dependencies: ["Commands", "RecordStream"]),
    .executableTarget(name: "clever-csv", dependencies: ["Commands", "RecordStream"]),
    .executableTarget(name: "clever-validate", dependencies: ["Commands", "RecordStream"]),
    .executableTarget(name: "sftp-put", dependencies: ["Commands", "RecordStream"]),
    .executableTarget(name: "clever-sync", dependencies: ["Commands"]),

    .testTarget(name: "RecordStreamTests", dependencies: ["RecordStream"]),
    .testTarget(name: "CSVCodecTests", dependencies: ["CSVCodec"], exclude: ["FuzzCorpus"]),
    .testTarget(name: "CleverFormatTests", dependencies: ["CleverFormat"]),
    .testTarget(
      name: "CleverMappingTests",
      dependencies: ["CleverMapping", "QuickSchoolsRecords", "RecordStream", "CleverFormat"]),
    .testTarget(
      name: "CleverValidationTests", dependencies: ["CleverValidation", "CleverFormat", "RecordStream", "CleverFiles"]),
    // Against a real OpenSSH sshd on loopback, started by the tests.
    .testTarget(
      name: "SFTPTransferTests",
      dependencies: ["SFTPTransfer", "Secrets", "RecordStream", "sftp-put", "clever-map", "clever-validate", "clever-csv"],
      exclude: ["Servers"]),
    // Against a local scripted QuickSchools server (Python), started by the tests.
    .testTarget(
      name: "QuickSchoolsAPITests",
      dependencies: ["QuickSchoolsAPI", "QuickSchoolsRecords", "RecordStream", "qs-extract"],
      exclude: ["Server"]),
    .testTarget(name: "RunScheduleTests", dependencies: ["RunSchedule"]),
    .testTarget(name: "RunHistoryTests", dependencies: ["RunHistory", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "SyncProfileTests", dependencies: ["SyncProfile", "RunSchedule"]),
    .testTarget(name: "UploadGuardTests", dependencies: ["UploadGuard", "CleverFormat", "CleverFiles", "CSVCodec", "RecordStream"]),
    // clever-sync end to end: SQLite on disk, the scripted QuickSchools server and sshd.
    // TestSSHServer.swift, QSServer.swift and Shell.swift are links to the harnesses of the SFTP and API tests.
    .testTarget(
      name: "CleverSyncTests",
      dependencies: ["clever-sync", "qs-extract", "clever-map", "clever-validate", "clever-csv", "sftp-put"]),
    .testTarget(name: "CleverFilesTests", dependencies: ["CleverFiles", "CleverFormat", "CSVCodec", "RecordStream"]),
    // Runs the built executables in real pipelines; needs `swift build` first.
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "qs-extract", "clever-map", "clever-csv", "clever-validate", "sftp-put", "clever-sync", "CleverMapping",
        "QuickSchoolsAPI", "CleverValidation", "CSVCodec",
      ],
      exclude: ["BrokenSets", "Expected", "Streams"]),
  ]
)
