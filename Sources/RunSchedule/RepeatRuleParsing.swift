extension RepeatRule {
  /// Parses the CLI's `--repeat` value: `once`, `daily`, `weekdays`,
  /// `weekly:mon,wed,fri` (three-letter or full day names, any case) or
  /// `every:30m`, `every:6h`, `every:1d`, `every:1h30m`. Case and spaces around parts are ignored.
  public init(parsing text: String) throws(ScheduleError) {
    let trimmed = text.trimmingSpaces.lowercased()
    let (kind, argument) = trimmed.splitOnce(":")
    switch (kind, argument) {
    case ("once", nil): self = .once
    case ("daily", nil): self = .daily
    case ("weekdays", nil): self = .weekdays
    case ("weekly", let list?):
      var days = Set<Weekday>()
      for name in list.split(separator: ",", omittingEmptySubsequences: false) {
        let name = String(name).trimmingSpaces
        guard let day = Weekday(name: name) else {
          throw .invalidRepeat(text, reason: name.isEmpty ? "a day is missing" : "unknown day \"\(name)\"")
        }
        days.insert(day)
      }
      self = .weekly(days: days)
    case ("every", let interval?):
      guard let seconds = IntervalText.parse(interval.trimmingSpaces) else {
        throw .invalidRepeat(text, reason: "cannot read the interval \"\(interval)\"")
      }
      guard seconds >= RepeatRule.minimumInterval else {
        throw .invalidRepeat(text, reason: "the interval is shorter than 5 minutes")
      }
      self = .every(seconds: seconds)
    case ("weekly", nil), ("every", nil):
      throw .invalidRepeat(text, reason: "\(kind) needs a value after \"\(kind):\"")
    case ("once", _?), ("daily", _?), ("weekdays", _?):
      throw .invalidRepeat(text, reason: "\(kind) takes no value")
    default:
      throw .invalidRepeat(text, reason: "unknown repeat kind \"\(kind)\"")
    }
  }
}

/// Interval spellings: days, hours and minutes in that order, each at most once ("1d6h", "90m").
enum IntervalText {
  static let units: [(letter: Character, seconds: Int)] = [("d", 86_400), ("h", 3_600), ("m", 60)]

  /// Seconds, or nil if the text is not a well-formed interval. A year is plenty; longer is a typo.
  static func parse(_ text: String) -> Int? {
    var total = 0
    var digits = ""
    var nextUnit = 0  // units must come in order, each once
    for character in text {
      if character.isASCIIDigit {
        digits.append(character)
        guard digits.count <= 6 else { return nil }
        continue
      }
      guard let index = units.firstIndex(where: { $0.letter == character }), index >= nextUnit,
        let count = Int(digits)
      else { return nil }
      total += count * units[index].seconds
      digits = ""
      nextUnit = index + 1
    }
    guard digits.isEmpty, nextUnit > 0, total <= 366 * 86_400 else { return nil }
    return total
  }

  /// The shortest spelling with the largest units; seconds that are not whole minutes are
  /// dropped here, and `Schedule` refuses them.
  static func format(seconds: Int) -> String {
    var rest = seconds
    var text = ""
    for unit in units where rest >= unit.seconds {
      text += "\(rest / unit.seconds)\(unit.letter)"
      rest %= unit.seconds
    }
    return text.isEmpty ? "0m" : text
  }
}

extension String {
  var trimmingSpaces: String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }

  /// The part before the first `separator`, and the rest if there was one.
  func splitOnce(_ separator: Character) -> (String, String?) {
    guard let index = firstIndex(of: separator) else { return (self, nil) }
    return (String(self[..<index]).trimmingSpaces, String(self[self.index(after: index)...]))
  }
}
