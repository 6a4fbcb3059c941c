import Crypto

extension SHA256.Digest {
  /// Lower-case hexadecimal, as sha256sum prints it and the `upload` record carries it.
  var hex: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}
