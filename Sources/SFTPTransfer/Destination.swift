import RecordStream

/// Where files go: an SFTP server and directory, or a local directory (dry runs, demos).
///
/// Accepts every usual spelling, since users paste what Clever's dashboard shows:
/// `sftp://user@host[:port][/dir]`, `sftp://host`, `user@host:dir`, `user@host`, `host`,
/// `[::1]:2222`-style IPv6 in URLs, and `file:///dir`. In a URL the path is absolute, as
/// in curl, except `/~/dir`, which is under the login directory; scp-style `host:dir`
/// is under the login directory unless it starts with `/`.
public struct Destination: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable { case sftp, local }

  public var kind: Kind
  public var user: String?
  public var host: String
  public var port: Int
  /// The directory, "" for the login directory.
  public var directory: String

  public static func parse(_ text: String) throws(StageFailure) -> Destination {
    let input = text.trimmingCharacters()
    func bad(_ why: String) -> StageFailure {
      StageFailure(.usage, code: "E_DESTINATION",
                   "\"\(text)\" is not a destination: \(why) (try sftp://user@sftp.clever.com/ or user@host:dir)")
    }
    guard !input.isEmpty else { throw bad("it is empty") }
    let lower = input.lowercased()
    if lower.hasPrefix("file://") {
      let path = String(input.dropFirst(7))
      guard path.hasPrefix("/") else { throw bad("a file: destination needs an absolute path, file:///dir") }
      return Destination(kind: .local, user: nil, host: "", port: 0, directory: path)
    }
    if let scheme = lower.firstRange(of: "://"), !lower.hasPrefix("sftp://") {
      throw bad("\(lower[..<scheme.lowerBound]):// is not SFTP")
    }
    if lower.hasPrefix("sftp://") {
      var rest = Substring(input.dropFirst(7))
      var path = ""
      if let slash = rest.firstIndex(of: "/") {
        path = String(rest[slash...])
        rest = rest[..<slash]
      }
      var user: String?
      if let at = rest.lastIndex(of: "@") {
        user = try percentDecoded(String(rest[..<at]), bad)
        rest = rest[rest.index(after: at)...]
      }
      let (host, port) = try hostAndPort(String(rest), bad)
      var directory = try percentDecoded(path, bad)
      if directory == "/" || directory == "/~" || directory == "/~/" {
        directory = ""
      } else if directory.hasPrefix("/~/") {
        directory = String(directory.dropFirst(3))
      }
      directory = POSIXPath.trimmingTrailingSlashes(directory)
      return Destination(kind: .sftp, user: user?.isEmpty == true ? nil : user, host: host, port: port, directory: directory)
    }
    // scp style: [user@]host[:dir]
    var rest = Substring(input)
    var user: String?
    if let at = rest.lastIndex(of: "@") {
      user = String(rest[..<at])
      rest = rest[rest.index(after: at)...]
    }
    var directory = ""
    var hostPart = String(rest)
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { throw bad("an unclosed [ in the host") }
      hostPart = String(rest[...close])
      let after = rest[rest.index(after: close)...]
      if after.hasPrefix(":") { directory = String(after.dropFirst()) } else if !after.isEmpty { throw bad("text after ]") }
      hostPart = String(hostPart.dropFirst().dropLast())
    } else if let colon = rest.firstIndex(of: ":") {
      hostPart = String(rest[..<colon])
      directory = String(rest[rest.index(after: colon)...])
    }
    guard !hostPart.isEmpty, !hostPart.contains("/") else { throw bad("no host") }
    directory = POSIXPath.trimmingTrailingSlashes(directory)
    if directory == "~" || directory == "~/" { directory = "" }
    if directory.hasPrefix("~/") { directory = String(directory.dropFirst(2)) }
    return Destination(kind: .sftp, user: user?.isEmpty == true ? nil : user, host: hostPart, port: 22,
                       directory: directory)
  }

  private static func hostAndPort(_ text: String, _ bad: (String) -> StageFailure) throws(StageFailure) -> (String, Int) {
    var host = text
    var port = 22
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else { throw bad("an unclosed [ in the host") }
      host = String(text[text.index(after: text.startIndex)..<close])
      let after = text[text.index(after: close)...]
      if after.hasPrefix(":") {
        guard let number = Int(after.dropFirst()), (1...65535).contains(number) else { throw bad("the port is not a number") }
        port = number
      } else if !after.isEmpty {
        throw bad("text after ]")
      }
    } else if let colon = text.lastIndex(of: ":") {
      host = String(text[..<colon])
      guard let number = Int(text[text.index(after: colon)...]), (1...65535).contains(number) else {
        throw bad("the port is not a number from 1 to 65535")
      }
      port = number
    }
    guard !host.isEmpty else { throw bad("no host") }
    return (host, port)
  }

  private static func percentDecoded(_ text: String, _ bad: (String) -> StageFailure) throws(StageFailure) -> String {
    guard text.contains("%") else { return text }
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let byte = utf8.popFirst() {
      if byte == UInt8(ascii: "%") {
        guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else {
          throw bad("a bad %-escape")
        }
        bytes.append(value)
        utf8 = utf8.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `user@host:port/dir` for messages (never a secret: none is ever in a destination).
  public var description: String {
    switch kind {
    case .local: return "file://\(directory)"
    case .sftp:
      let who = user.map { $0 + "@" } ?? ""
      let where_ = host.contains(":") ? "[\(host)]" : host
      return "sftp://\(who)\(where_)\(port == 22 ? "" : ":\(port)")/\(directory.hasPrefix("/") ? String(directory.dropFirst()) : directory.isEmpty ? "" : "~/" + directory)"
    }
  }

  /// The path of `name` in the destination directory.
  public func path(of name: String) -> String {
    directory.isEmpty ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }
}

extension String {
  func trimmingCharacters() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
    return String(self[first...lastIndex(where: { !$0.isWhitespace })!])
  }
}
