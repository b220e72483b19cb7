import Dispatch
import HubCore
import Synchronization

/// Moves the write-ahead log into the database file on a connection and
/// thread of its own. SQLite's default has the commit that fills the log
/// do it: every second push's commit took 20–30 ms more (copying a few
/// megabytes and syncing the file) while the next push waited on the
/// database queue. Durability is the same: a commit is on disk once its
/// log is synced; the checkpoint only moves it.
final class HubCheckpointer: Sendable {
    /// Its own connection, touched only on `queue`: a `Mutex` says so to the
    /// compiler, and holding it costs nothing, as only `queue` takes it.
    private let connection: Mutex<HubService>
    private let queue = DispatchQueue(label: "hub.checkpoint")
    /// A checkpoint is asked for and has not started: one is enough.
    private let queued = Atomic(false)

    /// Checkpoints through `hub`, a connection of its own to the file.
    init(hub: sending HubService) {
        connection = Mutex(hub)
    }

    /// Asks for a checkpoint soon, after a write.
    func request() {
        guard queued.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        queue.async {
            self.queued.store(false, ordering: .releasing)
            // A failed checkpoint loses nothing: the log keeps the commits,
            // and the next one (or closing the file) moves them.
            self.connection.withLock { try? $0.replica.checkpointPassively() }
        }
    }

    func close() {
        queue.sync { connection.withLock { $0.close() } }
    }
}
