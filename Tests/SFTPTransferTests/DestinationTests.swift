import RecordStream
import Testing

@testable import SFTPTransfer
@testable import TestHarness

/// Every usual spelling of a destination, and clear refusals of the rest.
struct DestinationTests {
  @Test(arguments: [
    ("sftp://sftp.clever.com", "sftp.clever.com", 22, nil, ""),
    ("sftp://sftp.clever.com/", "sftp.clever.com", 22, nil, ""),
    ("SFTP://district-1@sftp.clever.com", "sftp.clever.com", 22, "district-1", ""),
    ("sftp://u@host:2222/upload/", "host", 2222, "u", "/upload"),
    ("sftp://u@host/~/in/today", "host", 22, "u", "in/today"),
    ("sftp://u%40school@host", "host", 22, "u@school", ""),
    ("sftp://u@[::1]:2200/x", "::1", 2200, "u", "/x"),
    ("u@host:dir/sub", "host", 22, "u", "dir/sub"),
    ("u@host:/abs", "host", 22, "u", "/abs"),
    ("u@host:~/x", "host", 22, "u", "x"),
    ("u@host", "host", 22, "u", ""),
    ("sftp.clever.com", "sftp.clever.com", 22, nil, ""),
    ("  sftp://sftp.clever.com  ", "sftp.clever.com", 22, nil, ""),
    ("u@[::1]:in", "::1", 22, "u", "in"),
  ] as [(String, String, Int, String?, String)])
  func parsesEveryUsualSpelling(text: String, host: String, port: Int, user: String?, directory: String) throws {
    let destination = try Destination.parse(text)
    #expect(destination.kind == .sftp)
    #expect(destination.host == host)
    #expect(destination.port == port)
    #expect(destination.user == user)
    #expect(destination.directory == directory)
  }

  @Test func fileDestinationsAreLocalDirectories() throws {
    let destination = try Destination.parse("file:///tmp/clever")
    #expect(destination.kind == .local)
    #expect(destination.directory == "/tmp/clever")
  }

  @Test(arguments: ["", "http://sftp.clever.com", "ftp://host", "sftp://", "sftp://host:99999", "sftp://host:port",
                    "file://relative", "u@", "sftp://[::1"])
  func refusesWhatIsNotADestination(text: String) {
    #expect {
      try Destination.parse(text)
    } throws: { error in
      guard let failure = error as? StageFailure else { return false }
      return failure.kind == .usage && failure.code == "E_DESTINATION" && failure.message.contains("is not a destination")
    }
  }

  @Test func pathsOfFilesInTheDestination() throws {
    #expect(try Destination.parse("sftp://h").path(of: "students.csv") == "students.csv")
    #expect(try Destination.parse("sftp://h/in").path(of: "students.csv") == "/in/students.csv")
    #expect(try Destination.parse("u@h:in").path(of: "students.csv") == "in/students.csv")
  }
}
