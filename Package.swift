// swift-tools-version:6.0
import PackageDescription

// Library modules carry the logic, one concern each; every executable is a few lines
// over its own command module (`CleverMapCLI`, ...), which links only what it uses.
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

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
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
  ],
  targets: [
    // The bytes between the stages: JSON text, lines, input and output, exit statuses, stops;
    // and the near-miss suggestion ("did you mean") every tool's messages share.
    .target(name: "RecordStream"),
    // The stream's contract, roster-records(5): every record type with one decoder and one
    // encoder (qs.*, clever.*, extract, validation, file, upload, diagnostic), the reader
    // that enforces the stream's rules, and the diagnostics reporter.
    .target(name: "RosterRecords", dependencies: ["RecordStream", "CleverFormat"]),
    // RFC 4180 reading and writing, with physical line numbers for diagnostics.
    .target(name: "CSVCodec", dependencies: ["RecordStream"]),
    // Clever's SFTP format as data: files, columns, allowed values, formats.
    .target(name: "CleverFormat", dependencies: ["RecordStream"]),
    // SHA-256 digests written as sha256sum writes them.
    .target(name: "DigestText", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    // Passwords, passphrases and API keys from a variable or a private file, never printed.
    .target(name: "Secrets", dependencies: ["RecordStream"]),
    // The QuickSchools REST API: paging, politeness, retries, saved dumps, `qs.*` records.
    // AsyncHTTPClient, not URLSession: Linux's URLSession polls libcurl about a thousand times a
    // second while a slow server thinks, which made CPU, not the API, a fleet's limit.
    .target(
      name: "QuickSchoolsAPI",
      dependencies: [
        "RecordStream", "RosterRecords", "Secrets", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
    // The QuickSchools to Clever rules of mapping-rules.md.
    .target(
      name: "CleverMapping",
      dependencies: ["RecordStream", "CleverFormat", "RosterRecords"]),
    // renameat2(RENAME_EXCHANGE), which Swift's Glibc module does not export.
    .target(name: "CDirectoryExchange"),
    // pipe2 and posix_spawn's close-from action, which Swift's Glibc module does not export.
    .target(name: "CChildProcess"),
    // Clever's rules checked before upload: one record at a time, IDs across records.
    .target(
      name: "CleverValidation", dependencies: ["RecordStream", "RosterRecords", "CleverFormat", "CleverFiles", "CSVCodec"]),
    // libssh2, the SSH and SFTP client library (apt: libssh2-1-dev).
    .systemLibrary(name: "CLibSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
    // Uploads over SFTP: sessions, host keys, atomic file sets on the server.
    .target(
      name: "SFTPTransfer",
      dependencies: ["CLibSSH2", "RecordStream", "Secrets", "DigestText", .product(name: "Crypto", package: "swift-crypto")]),
    // Clever CSV file sets: written atomically, read back to records.
    .target(
      name: "CleverFiles",
      dependencies: [
        "RecordStream", "RosterRecords", "CleverFormat", "CSVCodec", "CDirectoryExchange", "DigestText",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // When scheduled runs happen: wall times, repeat rules, daylight saving, blackouts, missed runs.
    .target(name: "RunSchedule"),
    // clever-sync's run history and schedules: an embedded SQLite database (the default) or a
    // PostgreSQL server that a fleet of machines shares.
    .target(
      name: "RunHistory",
      dependencies: [
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    // A clever-sync profile: the TOML file, checked line by line.
    .target(name: "SyncProfile", dependencies: ["RunSchedule", "RecordStream", .product(name: "TOMLKit", package: "TOMLKit")]),
    // The new set against the last one uploaded: what would be removed, and migrations.
    .target(name: "UploadGuard", dependencies: ["CSVCodec", "CleverFormat", "CleverFiles", "RecordStream", "RosterRecords"]),
    // Runs of a profile: the stages as executables, the guard, the upload, schedules.
    .target(
      name: "SyncRuns",
      dependencies: [
        "RunHistory", "RunSchedule", "SyncProfile", "UploadGuard", "CleverFiles", "CChildProcess", "RecordStream",
        "RosterRecords", "DigestText", "Secrets",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // What every command line shares: stage options, the runner that turns failures into
    // exit statuses, the version. Each executable's commands are a module of their own
    // over it, depending only on what that executable uses: a filter links neither
    // libssh2 nor SQLite.
    .target(name: "StageCLI", dependencies: ["RecordStream", "RosterRecords", argumentParser]),
    .target(name: "QSExtractCLI", dependencies: ["StageCLI", "QuickSchoolsAPI", "RecordStream", "RosterRecords", argumentParser]),
    .target(
      name: "CleverMapCLI",
      dependencies: ["StageCLI", "CleverMapping", "CleverFormat", "RosterRecords", "RecordStream", argumentParser]),
    .target(name: "CleverCSVCLI", dependencies: ["StageCLI", "CleverFiles", "CleverFormat", "RecordStream", "RosterRecords", argumentParser]),
    .target(
      name: "CleverValidateCLI", dependencies: ["StageCLI", "CleverValidation", "CleverFormat", "RecordStream", "RosterRecords", argumentParser]),
    .target(
      name: "SFTPPutCLI", dependencies: ["StageCLI", "SFTPTransfer", "Secrets", "CleverFormat", "RecordStream", "RosterRecords", argumentParser]),
    .target(
      name: "CleverSyncCLI",
      dependencies: ["StageCLI", "SyncRuns", "CChildProcess", "RunHistory", "RunSchedule", "SyncProfile", "RecordStream", "RosterRecords", argumentParser]),
    .executableTarget(name: "qs-extract", dependencies: ["QSExtractCLI", "RecordStream"]),
    .executableTarget(name: "clever-map", dependencies: ["CleverMapCLI", "StageCLI", "RecordStream"]),
    .executableTarget(name: "clever-csv", dependencies: ["CleverCSVCLI", "StageCLI", "RecordStream"]),
    .executableTarget(name: "clever-validate", dependencies: ["CleverValidateCLI", "StageCLI", "RecordStream"]),
    .executableTarget(name: "sftp-put", dependencies: ["SFTPPutCLI", "StageCLI", "RecordStream"]),
    .executableTarget(name: "clever-sync", dependencies: ["CleverSyncCLI", "StageCLI"]),

    .testTarget(name: "RecordStreamTests", dependencies: ["RecordStream", "RosterRecords"]),
    .testTarget(name: "RosterRecordsTests", dependencies: ["RosterRecords", "RecordStream", "CleverFormat"]),
    .testTarget(name: "CSVCodecTests", dependencies: ["CSVCodec"], exclude: ["FuzzCorpus"]),
    .testTarget(name: "CleverFormatTests", dependencies: ["CleverFormat"]),
    .testTarget(
      name: "CleverMappingTests",
      dependencies: ["CleverMapping", "RosterRecords", "RecordStream", "CleverFormat"]),
    .testTarget(
      name: "CleverValidationTests", dependencies: ["CleverValidation", "CleverFormat", "RecordStream", "CleverFiles"]),
    // The harnesses several test targets share: a real OpenSSH sshd on loopback, the
    // scripted QuickSchools server, the shell that runs the built executables, and a
    // pseudo-terminal to run them on.
    .target(name: "TestHarness", path: "Tests/TestHarness"),
    // Against a real OpenSSH sshd on loopback, started by the tests.
    .testTarget(
      name: "SFTPTransferTests",
      dependencies: [
        "SFTPTransfer", "Secrets", "RecordStream", "TestHarness", "sftp-put", "clever-map", "clever-validate", "clever-csv",
      ],
      exclude: ["Servers"]),
    // Against a local scripted QuickSchools server (Python), started by the tests.
    .testTarget(
      name: "QuickSchoolsAPITests",
      dependencies: ["QuickSchoolsAPI", "RosterRecords", "RecordStream", "TestHarness", "qs-extract"],
      exclude: ["Server"]),
    .testTarget(name: "RunScheduleTests", dependencies: ["RunSchedule"]),
    .testTarget(
      name: "RunHistoryTests",
      dependencies: ["RunHistory", "TestHarness", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio")]),
    .testTarget(name: "SyncProfileTests", dependencies: ["SyncProfile", "RunSchedule"]),
    .testTarget(name: "UploadGuardTests", dependencies: ["UploadGuard", "CleverFormat", "CleverFiles", "CSVCodec", "RecordStream"]),
    // clever-sync end to end: SQLite on disk, the scripted QuickSchools server and sshd.
    .testTarget(
      name: "CleverSyncTests",
      dependencies: ["TestHarness", "SyncRuns", "clever-sync", "qs-extract", "clever-map", "clever-validate", "clever-csv", "sftp-put"]),
    .testTarget(name: "CleverFilesTests", dependencies: ["CleverFiles", "CleverFormat", "CSVCodec", "RecordStream"]),
    // Runs the built executables in real pipelines; needs `swift build` first.
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "qs-extract", "clever-map", "clever-csv", "clever-validate", "sftp-put", "clever-sync", "CleverMapping",
        "QuickSchoolsAPI", "CleverValidation", "CSVCodec", "RosterRecords", "CleverFormat", "RecordStream", "TestHarness",
      ],
      exclude: ["BrokenSets", "DemoLikeSet", "Expected", "Streams"]),
  ]
)
