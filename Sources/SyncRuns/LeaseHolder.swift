#if canImport(Glibc)
  import Glibc
#endif
import Foundation

/// Who holds a lease: the machine (CLEVER_SYNC_NODE, else the host name), the process, and
/// a random part, as "node/pid/nonce". The machine and the process let a process of the same
/// machine see that a holder died (its pid is gone) and take its lease at once, instead of
/// waiting for the lease to expire as other machines must.
public struct LeaseHolder: Sendable, Equatable, CustomStringConvertible {
  public let node: String
  public let pid: Int32
  public let nonce: String

  public var description: String { "\(node)/\(pid)/\(nonce)" }

  /// A new holder for this process.
  public init(environment: [String: String]) {
    node = Self.node(environment)
    pid = getpid()
    nonce = String(format: "%08x", UInt32.random(in: 0...UInt32.max))
  }

  /// A holder's text, as a lease row has it; nil if it is not one.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { return nil }
    node = parts.dropLast(2).joined(separator: "/")
    self.pid = pid
    nonce = String(parts[parts.count - 1])
  }

  /// This machine's name in leases.
  public static func node(_ environment: [String: String]) -> String {
    if let name = environment["CLEVER_SYNC_NODE"], !name.isEmpty { return name }
    var buffer = [UInt8](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// Whether `other` is a process of this machine that no longer exists.
  public func isDeadNeighbour(_ other: LeaseHolder) -> Bool {
    other.node == node && other.pid != pid && kill(other.pid, 0) != 0 && errno == ESRCH
  }
}
