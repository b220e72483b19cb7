import Foundation
import Logging
import Synchronization
import SyncStorePostgres
import SyncTestSupport

@testable import SyncStore

/// A connection to the test cluster's database. Only on a thread of its own
/// (`onThread`): every call blocks.
func connect(
    _ location: PostgresLocation, session: PostgresSessionSettings = .hub, logger: Logger = quietLogger
) throws(PostgresStoreError) -> PostgresStoreConnection {
    try PostgresStoreConnection(location: location, session: session, logger: logger)
}

let quietLogger = Logger(label: "PostgresTests") { _ in SwiftLogNoOpLogHandler() }

/// A table name no other test uses, so the tests can run in parallel.
func uniqueTable(_ stem: String) -> String {
    stem + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
}

/// Runs blocking work on a thread of its own, never on the cooperative pool
/// (two blocked waits would starve it, PITFALLS.md), and fails with
/// `TimedOut` if it has not finished in `timeout`: a hang fails the test
/// instead of stalling the suite.
func onThread<T: Sendable>(timeout: Duration = .seconds(60), _ body: @escaping @Sendable () throws -> T)
    async throws -> T
{
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let once = ResumeOnce(continuation)
        let thread = Thread { once.resume(with: Result { try body() }) }
        thread.start()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            once.resume(with: .failure(TimedOut(seconds: seconds)))
        }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "still running after \(seconds) s: it hung" }
}

private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

    func resume(with result: Result<T, any Error>) {
        let waiting = continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        waiting?.resume(with: result)
    }
}

/// Polls `condition` every 10 ms until it holds; throws after `timeout`.
func waitUntil(timeout: Duration = .seconds(20), _ what: String, _ condition: () throws -> Bool) throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while try !condition() {
        guard clock.now < deadline else { throw TimedOut(seconds: Double(timeout.components.seconds)) }
        usleep(10_000)
    }
}

/// What happened, in the order it happened, across threads.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    func note(_ event: String) { events.withLock { $0.append(event) } }

    var all: [String] { events.withLock { $0 } }
}

/// A value handed from one thread to another, waited for.
final class Handoff<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func put(_ newValue: T) {
        value.withLock { $0 = newValue }
        ready.signal()
    }

    func take(timeout: Duration = .seconds(20)) throws -> T {
        guard ready.wait(timeout: .now() + Double(timeout.components.seconds)) == .success else {
            throw TimedOut(seconds: Double(timeout.components.seconds))
        }
        return value.withLock { $0! }
    }
}
