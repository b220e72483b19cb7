import Synchronization

/// The highest feed position a hub process has seen in its database.
///
/// The feed only grows: every write takes the next positions. If a process
/// later finds the feed's end below what it saw, the database went back in
/// time under it, restored from a backup while it kept serving. Nodes that
/// read past the restored end would otherwise go on from cursors the hub no
/// longer backs, and never pull what is written at those positions next, nor
/// send again what the hub lost. Shared by a process's connections, so that
/// a reconnect does not forget it.
package final class FeedHighWater: Sendable {
    private let seen = Atomic<Int64>(0)

    package init() {}

    /// Records `end`, the feed's committed end as a write transaction
    /// starts; says whether the feed had been further before. Only the
    /// process's writing connection observes, one transaction at a time, and
    /// only committed ends: a transaction rolled back does not look like a
    /// feed gone back.
    func observe(_ end: Int64) -> Bool {
        seen.exchange(end, ordering: .relaxed) > end
    }
}
