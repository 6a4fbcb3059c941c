extension SyncProfile.Notify {
  /// Reads `[notify]`: a program and its arguments, run without a shell. A program
  /// given as a path is read like the profile's other paths; a bare name is looked up
  /// in PATH when it runs.
  init(reading t: TableReader) {
    var command = t.strings("command")
    if command?.isEmpty == true {
      t.problem("command", "\(t.label("command")) is empty: give the program and its arguments, or leave it out")
      command = nil
    }
    if var words = command, words[0].contains("/") || words[0].hasPrefix("~") {
      if let program = ProfilePath.resolved(words[0], in: t.log.folder, home: t.log.home) {
        words[0] = program
        command = words
      } else {
        t.problem("command", "\(t.label("command")) starts with ~ but HOME is not set: write the full path")
      }
    }
    self.command = command
    everyRun = t.bool("every_run") ?? false
    if everyRun, !t.has("command") {
      t.problem("every_run", "\(t.label("every_run")) is set but \(t.tableLabel) has no command to run")
    }
  }
}
