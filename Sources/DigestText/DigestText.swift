import Crypto

extension SHA256.Digest {
  /// Lower-case hexadecimal, as sha256sum prints it and the `file` and `upload` records
  /// carry it.
  public var hex: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}
