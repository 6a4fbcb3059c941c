import Foundation
import Testing

@testable import RunHistory

@Suite struct ConcurrencyTests {
  /// Two ticks (two connections to one file) start the same Pending run: exactly one wins.
  @Test(arguments: StoreKind.allCases) func startPendingRaceHasOneWinner(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let instances = [try store.open(), try store.open()]
    let ids = try (0..<25).map {
      try instances[0].addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t($0)).id
    }
    for id in ids {
      let wins = Collected<Int32>()
      let refusals = Collected<HistoryError>()
      let others = Collected<String>()
      DispatchQueue.concurrentPerform(iterations: 2) { k in
        do {
          wins.append(try instances[k].startPending(id, pid: Int32(100 + k), at: t(1000)).pid!)
        } catch let error as HistoryError {
          refusals.append(error)
        } catch {
          others.append("\(error)")
        }
      }
      #expect(others.all == [])
      #expect(wins.all.count == 1)
      #expect(refusals.all == [.alreadyStarted(id, .running)])
      #expect(try instances[1].run(id)?.pid == wins.all.first)
    }
  }

  /// The same race with Swift tasks.
  @Test(arguments: StoreKind.allCases) func startPendingRaceFromTasks(_ kind: StoreKind) async throws {
    let store = try TestStore(kind)
    let a = try store.open()
    let b = try store.open()
    let id = try a.addPending(profile: "north", trigger: .scheduled, scheduleId: nil, scheduledAt: t(0)).id
    async let first = Result { try a.startPending(id, pid: 1, at: t(1)) }
    async let second = Result { try b.startPending(id, pid: 2, at: t(1)) }
    let results = await [first, second]
    #expect(results.filter { (try? $0.get()) != nil }.count == 1)
    let failures = results.compactMap { result -> HistoryError? in
      if case .failure(let error) = result { return error as? HistoryError }
      return nil
    }
    #expect(failures == [.alreadyStarted(id, .running)])
  }

  /// Two ticks adding the next occurrence of one schedule: one Pending row.
  @Test(arguments: StoreKind.allCases) func onePendingRunPerSchedule(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let instances = [try store.open(), try store.open()]
    let schedule = try instances[0].addSchedule(profile: "north", spec: "{}", at: t(0))
    let errors = Collected<String>()
    DispatchQueue.concurrentPerform(iterations: 2) { k in
      do {
        _ = try instances[k].addPending(profile: "north", trigger: .scheduled, scheduleId: schedule.id, scheduledAt: t(60))
      } catch let error as HistoryError {
        if case .schedulePending = error {} else { errors.append("\(error)") }
      } catch {
        errors.append("\(error)")
      }
    }
    #expect(errors.all == [])
    #expect(try instances[0].pending(profile: "north").count == 1)
  }
}
