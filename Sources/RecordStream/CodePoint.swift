/// Names characters in messages as Unicode writes them, so that one a terminal would not
/// show (a NUL, a byte-order mark) can still be told apart and searched for.
public enum CodePoint {
  /// `U+00E9`: at least four hex digits.
  public static func name(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }
}
