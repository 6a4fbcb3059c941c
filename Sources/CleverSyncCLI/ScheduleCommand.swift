#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import StageCLI
import Foundation
import RecordStream
import RunHistory
import RunSchedule
import SyncRuns

/// `clever-sync schedule add|list|edit|remove`.
struct ScheduleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schedule",
    abstract: "Scheduled runs in the profile's time zone: add, list, change, remove.",
    subcommands: [Add.self, List.self, Edit.self, Remove.self])

  /// --at's help: required by add, optional to edit (each declares it).
  static let atHelp = ArgumentHelp(
    "HH:MM (24-hour) in the profile's zone, or from now: +10m, +2h (at the next whole minute), +30s.",
    valueName: "time")

  /// When, besides --at: shared by add and edit.
  struct When: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The first day, YYYY-MM-DD (default: the next time --at comes).", valueName: "date"))
    var on: String?
    @Option(name: .long, help: ArgumentHelp("How it repeats: once (the default), daily, weekdays, weekly:mon,thu, every:6h, ...", valueName: "rule"))
    var `repeat`: String?
    @Option(name: .long, help: ArgumentHelp("The last day it may run, YYYY-MM-DD.", valueName: "date"))
    var until: String?

    /// The spec, starting from `base` for what is not given.
    func spec(at: String?, base: ScheduleSpec?, zone: String) throws -> ScheduleSpec {
      guard let time = at ?? base?.time else { throw ValidationError("say when: --at HH:MM") }
      let rule = try RepeatRule(parsing: `repeat` ?? base?.repeatRule ?? "once")
      let until = try (self.until ?? base?.until).map { try LocalDate(parsing: $0).description }
      if let at, at.hasPrefix("+") {
        guard let seconds = Self.seconds(String(at.dropFirst())), seconds > 0 else {
          throw ValidationError("--at \(at): say +30s, +10m or +2h (or a time, HH:MM)")
        }
        // (Calendar rules round it on to the whole minute: Schedule.Start.instant.)
        let first = ScheduleSpec.relativeStart(seconds, after: Date())
        let spec = ScheduleSpec(date: "", time: "", repeatRule: rule.description, until: until,
                                instant: ISO8601DateFormatter().string(from: first))
        // Date and time as the schedule reads them, for listings.
        let schedule = try spec.schedule(timeZone: zone)
        return ScheduleSpec(
          date: schedule.startDate.description, time: schedule.wallTime.description, repeatRule: rule.description,
          until: until, instant: spec.instant)
      }
      let wall = try WallTime(parsing: time)
      var date = on ?? base?.date
      if on == nil, at != nil || base == nil {
        // The next time the wall time comes, today or tomorrow.
        let clock = try ZoneClock(identifier: zone)
        let today = clock.localDate(of: Date())
        date = (clock.instant(on: today, at: wall) > Date() ? today : today.adding(days: 1)).description
      }
      return ScheduleSpec(
        date: try LocalDate(parsing: date!).description, time: wall.description, repeatRule: rule.description,
        until: until, instant: at == nil && on == nil ? base?.instant : nil)
    }

    /// "30s", "10m", "2h", "1h30m" in seconds.
    static func seconds(_ text: String) -> Double? {
      var total = 0.0
      var number = ""
      for character in text {
        if character.isNumber {
          number.append(character)
        } else {
          guard let value = Double(number), let unit = ["s": 1.0, "m": 60, "h": 3600, "d": 86400][String(character)]
          else { return nil }
          total += value * unit
          number = ""
        }
      }
      return number.isEmpty ? total : nil
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Schedule a run, once or repeating (shown as Pending).",
      usage: "clever-sync schedule add --at <time> [<options>]")
    @OptionGroup var options: ProfileOption
    @Option(name: .long, help: ScheduleCommand.atHelp) var at: String
    @OptionGroup var when: When

    func run() throws {
      let engine = try options.engine()
      do {
        let spec = try when.spec(at: at, base: nil, zone: engine.profile.timeZone)
        let (schedule, pending) = try Scheduler(engine: engine).add(spec)
        print("schedule \(schedule.id): \(try ScheduleSpec(text: schedule.spec).description) (\(engine.profile.timeZone))")
        print("run \(pending.id): Pending, at \(LocalTime.due(pending.scheduledAt, zone: engine.profile.timeZone))")
      } catch let error as ValidationError {
        throw error
      } catch {
        throw Say.fail("\(error)", .usage)
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the profile's schedules and their next run.")
    @OptionGroup var options: ProfileOption
    @OptionGroup var fleet: FleetOption

    func run() throws {
      guard let directory = fleet.directory() else {
        let engine = try options.engine()
        print("ID  NEXT RUN              SCHEDULE")
        for line in try lines(engine.profile.name, engine.history, zone: engine.profile.timeZone) { print(line) }
        return
      }
      // The fleet: a PROFILE column; --profile filters by a glob on names.
      directory.refresh()
      let members = directory.members.values.sorted { $0.name < $1.name }
        .filter { member in options.profile.map { fnmatch($0, member.name, 0) == 0 } ?? true }
      let width = max(members.map(\.name.count).max() ?? 0, 7) + 2
      print("PROFILE".padding(toLength: width, withPad: " ", startingAt: 0) + "ID  NEXT RUN              SCHEDULE")
      for member in members {
        for line in try lines(member.name, member.history, zone: member.profile.timeZone) {
          print(member.name.padding(toLength: width, withPad: " ", startingAt: 0) + line)
        }
      }
    }

    /// One line a schedule: its ID, its next run, what it says.
    private func lines(_ profile: String, _ history: RunHistory, zone: String) throws -> [String] {
      try history.schedules(profile: profile).filter(\.active).map { schedule in
        let next = try history.pendingRun(scheduleId: schedule.id)
        let spec = (try? ScheduleSpec(text: schedule.spec).description) ?? schedule.spec
        return String(schedule.id).padding(toLength: 4, withPad: " ", startingAt: 0)
          + LocalTime.due(next?.scheduledAt, zone: zone).padding(toLength: 22, withPad: " ", startingAt: 0) + spec
      }
    }
  }

  struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Change a schedule; refused once its run has started.",
      usage: "clever-sync schedule edit <id> [--at <time>] [<options>]")
    @OptionGroup var options: ProfileOption
    @Argument(help: "The schedule's ID.") var id: Int64
    @Option(name: .long, help: ScheduleCommand.atHelp) var at: String?
    @OptionGroup var when: When

    func run() throws {
      let engine = try options.engine()
      do {
        guard let record = try engine.history.schedule(id) else { throw RunFailure("no schedule \(id)") }
        let spec = try when.spec(at: at, base: try ScheduleSpec(text: record.spec), zone: engine.profile.timeZone)
        let pending = try Scheduler(engine: engine).edit(id, spec)
        let due = LocalTime.due(pending.scheduledAt, zone: engine.profile.timeZone)
        print("schedule \(id): \(spec.description); run \(pending.id) Pending at \(due)")
      } catch let error as ValidationError {
        throw error
      } catch {
        throw Say.fail("\(error)", .dataError)
      }
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove a schedule not yet started; its Pending run becomes Cancelled.")
    @OptionGroup var options: ProfileOption
    @Argument(help: "The schedule's ID.") var id: Int64

    func run() throws {
      let engine = try options.engine()
      do {
        let cancelled = try Scheduler(engine: engine).remove(id)
        print("schedule \(id) removed; run \(cancelled.id) \(cancelled.status.title)")
      } catch {
        throw Say.fail("\(error)", .dataError)
      }
    }
  }
}
