import Foundation
import NIOCore

/// Waits for a postgres-nio future from a thread that is not an event loop, for at most
/// `seconds`: nil when the time ran out. Neither postgres-nio's startup exchange nor a
/// query on a connection the server stopped answering is sure to end (closing the
/// connection is expected to fail what is waiting, but a caller that trusts that holds its
/// profile's lock, and its leases, for as long as the expectation is wrong), so the wait
/// itself has the limit. The future may still complete later: the caller decides what to
/// do with a late value (`late`, run on the future's event loop).
func waitForAnswer<T: Sendable>(
  _ future: EventLoopFuture<T>, seconds: Int, late: @escaping @Sendable (T) -> Void = { _ in }
) throws -> T? {
  let box = AnswerBox<T>()
  future.whenComplete { result in
    if box.deliver(result) == false, case .success(let value) = result { late(value) }
  }
  guard box.arrived.wait(timeout: .now() + .seconds(seconds)) == .success else {
    // Whichever of the answer and this give-up comes second sees the other.
    if box.abandon() { return nil }
    _ = box.arrived.wait(timeout: .distantFuture)
    return try box.result!.get()
  }
  return try box.result!.get()
}

/// The answer a waiter and an event loop pass between them; `lock` orders the two.
private final class AnswerBox<T>: @unchecked Sendable {
  let arrived = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  /// Guarded by `lock`.
  private var abandoned = false
  private(set) var result: Result<T, any Error>?

  /// Hands the answer to the waiter; false when it already gave up.
  func deliver(_ result: Result<T, any Error>) -> Bool {
    lock.withLock {
      guard !abandoned else { return false }
      self.result = result
      arrived.signal()
      return true
    }
  }

  /// Gives up waiting; false when the answer came first.
  func abandon() -> Bool {
    lock.withLock {
      guard result == nil else { return false }
      abandoned = true
      return true
    }
  }
}
