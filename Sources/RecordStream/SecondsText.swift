/// Seconds as the records and summaries write them: three decimals, `1.250`.
public func secondsText(_ seconds: Double) -> String {
  let milliseconds = Int((seconds * 1000).rounded())
  let fraction = String(milliseconds % 1000)
  return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}
