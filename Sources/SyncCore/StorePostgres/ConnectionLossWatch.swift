import PostgresNIO
import Synchronization

/// Waits for a connection's futures, failing the wait when the connection
/// closes.
///
/// A query written to a connection the server has closed never completes
/// (postgres-nio writes it with `promise: nil`): a bare `wait()` would hang
/// for ever (docs/postgres-plan.md §3, found with `pg_ctlcluster restart`).
/// The watch registers one callback on `closeFuture` for the connection's
/// whole life, not one per query, which would pile up millions of closures
/// on a hub's long-lived connection.
final class ConnectionLossWatch: Sendable {
    private struct State {
        var closed = false
        /// Fails the promise being waited for, if any.
        var failWaiter: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    init(closeFuture: EventLoopFuture<Void>) {
        // The callback keeps the watch alive until the channel closes, which
        // every connection does (close() or the server's end).
        closeFuture.whenComplete { [self] _ in markClosed() }
    }

    private func markClosed() {
        let fail = state.withLock { state in
            state.closed = true
            defer { state.failWaiter = nil }
            return state.failWaiter
        }
        fail?()
    }

    /// Whether `closeFuture` has completed.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// The future's value, or `ConnectionLossWatch.Lost` once the connection
    /// closes first. Blocks the calling thread: never call it on an event
    /// loop (NIO traps) or on the cooperative pool (it would starve it).
    func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let promise = future.eventLoop.makePromise(of: T.self)
        let alreadyClosed = state.withLock { state in
            if state.closed { return true }
            state.failWaiter = { promise.fail(Lost()) }
            return false
        }
        if alreadyClosed { promise.fail(Lost()) }
        // A promise completed twice keeps its first result.
        future.cascade(to: promise)
        defer { state.withLock { $0.failWaiter = nil } }
        return try promise.futureResult.wait()
    }

    /// The connection closed while a statement was waited for.
    struct Lost: Error, CustomStringConvertible {
        var description: String { "the connection closed" }
    }
}
