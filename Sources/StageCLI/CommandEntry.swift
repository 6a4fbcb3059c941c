import ArgumentParser
import RecordStream

extension ParsableCommand {
  /// Parses the command line as `parseAsRoot` does, except that a mistyped long option
  /// is reported first, with the option meant (see `OptionTypo`), whatever else is wrong.
  public static func parseReportingTypos(_ arguments: [String]? = nil) throws -> ParsableCommand {
    let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
    do {
      return try parseAsRoot(arguments)
    } catch {
      guard let typo = OptionTypo.find(in: arguments, toolDescription: _dumpHelp()) else { throw error }
      throw UnknownOption(typo: typo, usage: usage(of: typo.commandPath))
    }
  }

  /// `main()`, with typos reported by `parseReportingTypos`.
  public static func mainReportingTypos() {
    do {
      var command = try parseReportingTypos()
      try command.run()
    } catch {
      exitReportingTypos(error)
    }
  }

  /// `exit(withError:)`, which prints an unknown option as argument-parser prints its own
  /// parse errors, with status 64.
  public static func exitReportingTypos(_ error: any Error) -> Never {
    if let unknown = error as? UnknownOption {
      let standardError = OutputSink(fileDescriptor: 2)
      try? standardError.write(Array("Error: \(unknown)\n".utf8))
      try? standardError.flush()
      exit(withError: ExitCode.validationFailure)
    }
    exit(withError: error)
  }

  /// The usage lines argument-parser prints under a parse error, for the named command.
  private static func usage(of path: [String]) -> String {
    var command: ParsableCommand.Type = Self.self
    for name in path.dropFirst() {
      guard let sub = command.configuration.subcommands.first(where: { $0._commandName == name }) else { break }
      command = sub
    }
    let invocation = ([Self._commandName] + path.dropFirst()).joined(separator: " ")
    return "Usage: \(usageString(for: command))\n  See '\(invocation) --help' for more information."
  }
}

/// A mistyped option, reported as argument-parser reports one: the message, the usage,
/// exit status 64.
struct UnknownOption: Error, CustomStringConvertible {
  let typo: OptionTypo
  let usage: String

  var description: String { "\(typo.message)\n\(usage)" }
}
