#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The positions of a fixed list of names, looked up by their UTF-8 bytes.
///
/// Written by hand rather than a `[String: Int]`: Swift's Dictionary hashes every key with
/// seeded SipHash, and profiles showed that hashing column names, once for every field of
/// every record, cost more than reading the field. Names are grouped by length in one
/// buffer; a lookup compares the few names of the key's length with `memcmp`.
public struct NameTable: Sendable {
  private let storage: [UInt8]
  /// Entries of length `n` are `entries[starts[n]..<starts[n + 1]]`.
  private let starts: [Int]
  private let entries: [(offset: Int, position: Int)]

  /// The position of each name is its index in `names`; a repeated name keeps its first.
  public init(_ names: [String]) {
    let longest = names.map(\.utf8.count).max() ?? 0
    var storage: [UInt8] = []
    var starts = [Int](repeating: 0, count: longest + 2)
    var entries: [(offset: Int, position: Int)] = []
    for length in 0...longest {
      starts[length] = entries.count
      var seen: Set<String> = []
      for (position, name) in names.enumerated() where name.utf8.count == length && seen.insert(name).inserted {
        entries.append((storage.count, position))
        storage.append(contentsOf: name.utf8)
      }
    }
    starts[longest + 1] = entries.count
    self.storage = storage
    self.starts = starts
    self.entries = entries
  }

  public func position(of name: String) -> Int? {
    var name = name
    return name.withUTF8 { position(of: $0) }
  }

  public func position(of key: UnsafeBufferPointer<UInt8>) -> Int? {
    let length = key.count
    guard length + 1 < starts.count else { return nil }
    return storage.withUnsafeBufferPointer { names -> Int? in
      for entry in entries[starts[length]..<starts[length + 1]]
      where length == 0 || memcmp(names.baseAddress! + entry.offset, key.baseAddress!, length) == 0 {
        return entry.position
      }
      return nil
    }
  }
}
