import RecordStream
import Secrets

/// The run's QuickSchools API keys, one per school. A key looks like
/// `<schoolcode>.<random>`: the part before the first dot is the school's code.
public struct APIKeys: Sendable {
  public struct Key: Sendable {
    public let code: String
    public let secret: Secret
  }
  public let keys: [Key]

  /// Keys from `--api-key-file` or `QS_API_KEY`: one or more, separated by line
  /// breaks, spaces or commas; `#` starts a comment line in a file.
  public static func read(file: String?, variable: String = "QS_API_KEY") throws(StageFailure) -> APIKeys {
    guard let secret = try Secret.read(file: file, variable: variable) else {
      throw StageFailure(
        .configuration, .secret,
        "no API key: set QS_API_KEY or give --api-key-file (an admin makes keys in Settings, App Developer Console, API Keys)")
    }
    return try APIKeys(parsing: secret.value, source: file ?? "$\(variable)")
  }

  public init(parsing text: String, source: String) throws(StageFailure) {
    var keys: [Key] = []
    let lines = text.split(whereSeparator: \.isNewline).filter { !$0.trimmingPrefix(while: \.isWhitespace).hasPrefix("#") }
    let words = lines.flatMap { $0.split(whereSeparator: { $0 == "," || $0.isWhitespace }) }
    for (index, word) in words.enumerated() {
      guard let dot = word.firstIndex(of: "."), dot != word.startIndex, word.index(after: dot) != word.endIndex else {
        // Never the key itself in a message: only where it is and what is wrong.
        throw StageFailure(
          .configuration, .secret,
          "\(source): key \(index + 1) is not of the form <schoolcode>.<random> (as QuickSchools issues them)")
      }
      let code = String(word[..<dot]).lowercased()
      if keys.contains(where: { $0.code == code }) {
        throw StageFailure(.configuration, .secret, "\(source): two keys for the school \(code)")
      }
      keys.append(Key(code: code, secret: Secret(String(word))))
    }
    guard !keys.isEmpty else { throw StageFailure(.configuration, .secret, "\(source) holds no API key") }
    self.keys = keys
  }
}
