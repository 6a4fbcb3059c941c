import ArgumentParser
import RecordStream

/// A long option on the command line that the command it reaches does not have (or a
/// subcommand name that is none of them), and the one most likely meant.
///
/// argument-parser looks for unknown options only once a command has decoded and
/// validated, so `clever-csv --ouput x` was answered "Missing expected argument
/// '--output'"; its own suggestion measures plain edit distance, which offers `--term`
/// for `--form`. The tree of commands and their options comes from argument-parser's
/// description of the tool (`_dumpHelp`, the JSON behind `--experimental-dump-help`), so
/// nothing here repeats a command's options.
struct OptionTypo: Equatable {
  enum Kind { case option, subcommand }

  let kind: Kind
  /// As typed, without any `=value`.
  let typed: String
  /// The closest option (with its dashes) or subcommand, if one is close enough.
  let suggestion: String?
  /// The command names from the root to the command the option reached.
  let commandPath: [String]

  var message: String {
    "Unknown \(kind == .option ? "option" : "subcommand") '\(typed)'" + (suggestion.map { ". Did you mean '\($0)'?" } ?? "")
  }

  /// The first unknown long option in `arguments`, read as argument-parser reads them:
  /// subcommand names descend (or the default subcommand when the first word is not one),
  /// an option's value is skipped, and nothing after `--` is an option.
  static func find(in arguments: [String], toolDescription: String) -> OptionTypo? {
    guard case .object(let tool)? = try? JSONParser.parse(toolDescription),
      case .object(let root)? = tool["command"]
    else { return nil }
    var command = CommandNode(root)
    var path = [command.name]
    var chosen = false  // a subcommand (or the default) has been entered at this level
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "--" { return nil }
      if !chosen, let sub = command.subcommand(named: argument) {
        command = sub
        path.append(sub.name)
        continue
      }
      if !chosen, let fallback = command.defaultSubcommand {
        command = fallback
        path.append(fallback.name)
      } else if !chosen, !command.subcommandNames.isEmpty, !argument.hasPrefix("-") {
        let suggestion = Suggestion.closest(to: argument, among: command.subcommandNames)
        return OptionTypo(kind: .subcommand, typed: argument, suggestion: suggestion, commandPath: path)
      }
      chosen = true
      guard argument.hasPrefix("--"), argument.count > 2 else { continue }
      let name = String(argument.dropFirst(2).prefix { $0 != "=" })
      switch command.kind(ofLong: name) {
      case .option? where !argument.contains("="): index += 1
      case .option?, .flag?: break
      case nil:
        let suggestion = Suggestion.closest(to: name, among: command.longNames).map { "--" + $0 }
        return OptionTypo(kind: .option, typed: "--" + name, suggestion: suggestion, commandPath: path)
      }
    }
    return nil
  }
}

/// One command of the tool's description: its name, long options and subcommands.
private struct CommandNode {
  enum Kind { case option, flag }

  let name: String
  private let object: JSONObject
  private let longs: [(name: String, kind: Kind)]

  init(_ object: JSONObject) {
    self.object = object
    name = object["commandName"]?.text ?? ""
    var longs: [(String, Kind)] = []
    if case .array(let arguments)? = object["arguments"] {
      for case .object(let argument) in arguments {
        let kind: Kind? = argument["kind"]?.text == "option" ? .option : argument["kind"]?.text == "flag" ? .flag : nil
        guard let kind, case .array(let names)? = argument["names"] else { continue }
        for case .object(let entry) in names where entry["kind"]?.text == "long" {
          if let long = entry["name"]?.text { longs.append((long, kind)) }
        }
      }
    }
    // Built into every command by argument-parser, and not listed with its options.
    longs += [("generate-completion-script", .option), ("experimental-dump-help", .flag)]
    self.longs = longs
  }

  var longNames: [String] { longs.map(\.name).filter { $0 != "experimental-dump-help" } }

  func kind(ofLong name: String) -> Kind? { longs.first { $0.name == name }?.kind }

  func subcommand(named word: String) -> CommandNode? {
    subcommands.first { names(of: $0).contains(word) }.map(CommandNode.init)
  }

  /// The names a user types, argument-parser's own `help` left out.
  var subcommandNames: [String] { subcommands.flatMap(names(of:)).filter { $0 != "help" } }

  private var subcommands: [JSONObject] {
    guard case .array(let subs)? = object["subcommands"] else { return [] }
    return subs.compactMap { if case .object(let sub) = $0 { sub } else { nil } }
  }

  private func names(of sub: JSONObject) -> [String] {
    var names = [sub["commandName"]?.text]
    if case .array(let aliases)? = sub["aliases"] { names += aliases.map(\.text) }
    return names.compactMap { $0 }
  }

  var defaultSubcommand: CommandNode? {
    object["defaultSubcommand"]?.text.flatMap(subcommand(named:))
  }
}
