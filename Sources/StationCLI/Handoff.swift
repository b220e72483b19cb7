import Foundation

/// Hands values from one thread to another in order, holding at most
/// `capacity`: the giver waits when the taker falls behind, so a large file
/// is never built in memory all at once.
final class Handoff<Element: Sendable>: @unchecked Sendable {
    // Every stored property is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var waiting: [Element] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Gives `element`; false, with it dropped, once the taker has cancelled:
    /// the giver stops there.
    func give(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        waiting.append(element)
        condition.broadcast()
        return true
    }

    /// The giver has given everything.
    func finish() {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        condition.broadcast()
    }

    /// The next element given; nil once everything given has been taken and
    /// the giver finished, or after `cancel`.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !finished && !cancelled { condition.wait() }
        guard !cancelled, !waiting.isEmpty else { return nil }
        condition.broadcast()
        return waiting.removeFirst()
    }

    /// The taker wants nothing more: what waits is dropped and the giver's
    /// next `give` returns false.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        waiting.removeAll()
        condition.broadcast()
    }
}
