import Dispatch
import HubCore
import Logging
import SyncModel
import Synchronization

/// The hub behind one serial queue: SQLite calls block, so they run on this
/// queue's thread, never on Swift's small cooperative pool, and one at a
/// time (one connection, one owner). Token checks and checkpoints have a
/// connection and a queue each, beside it.
final class HubDatabase: @unchecked Sendable {
    // @unchecked: `hub` and `liveness` are only touched inside `queue`, and
    // `tokens` inside `tokenQueue`, each serial.
    /// Nil after its connection broke, until the next job opens another.
    private var hub: HubService?
    private let queue = DispatchQueue(label: "hub.database")
    /// A second connection, for token checks only: on `queue` every sync
    /// request waited behind the push being committed before its own body
    /// was read, so one push was decoded only once the one before was stored.
    private var tokens: HubService?
    private let tokenQueue = DispatchQueue(label: "hub.tokens")
    /// Moves the log into the file after writes, instead of the commits on
    /// `queue`; nil for a database that checkpoints itself (PostgreSQL).
    private let checkpointer: HubCheckpointer?
    /// The entity schema, for work done off the queue.
    let schema: EntitySchema
    /// Opens one more connection's worth of hub.
    private let open: () throws -> HubService

    /// Connections for pulls, each on a queue of its own, beside the one
    /// that writes: a pull is one read-only snapshot, so pulls of many
    /// stations need not wait behind each other or behind a commit.
    /// PostgreSQL only (`?pool=N`: the writer and N − 1 readers); on a file
    /// pulls stay on `queue`.
    private final class Reader: @unchecked Sendable {
        // @unchecked: `hub` is only touched inside `queue`, which is serial.
        var hub: HubService?
        let queue: DispatchQueue
        init(_ index: Int) { queue = DispatchQueue(label: "hub.reader.\(index)") }
    }
    private let readers: [Reader]
    private let nextReader = Atomic<Int>(0)

    /// The hub on connections `open` makes, one each for the queue, the
    /// token checks and, with `checkpoints`, the checkpointer; `readers`
    /// more for pulls, opened when first needed.
    init(schema: EntitySchema, checkpoints: Bool, readers: Int = 0, open opener: @escaping () throws -> HubService)
        throws
    {
        // One high-water mark for every connection of the process, kept across reconnects.
        let highWater = FeedHighWater()
        let open = {
            let hub = try opener()
            hub.feedHighWater = highWater
            return hub
        }
        let hub = try open()
        self.hub = hub
        tokens = try open()
        self.readers = (0..<readers).map(Reader.init)
        if checkpoints {
            checkpointer = HubCheckpointer(hub: try open())
            try hub.replica.setCheckpointsOnCommit(false)
        } else {
            checkpointer = nil
        }
        self.schema = schema
        self.open = open
    }

    /// Runs `body` on the hub in `slot`, opening one if the last broke; a
    /// hub whose connection broke meanwhile (PostgreSQL restarted, the
    /// network dropped) is let go, so the next job opens another. The job
    /// itself fails, and the station retries it (what the broken
    /// transaction wrote is gone; merges are idempotent).
    private func using<T>(_ slot: inout HubService?, _ body: (HubService) throws -> T) throws -> T {
        // A connection seen to close while idle (PostgreSQL restarted) is
        // replaced before use, so the first request after an outage does
        // not fail on it.
        if let idle = slot, idle.replica.isConnectionLost {
            idle.close()
            slot = nil
        }
        let current = try slot ?? open()
        slot = current
        defer {
            if current.replica.isConnectionLost {
                current.close()
                slot = nil
            }
        }
        return try body(current)
    }

    /// The station a bearer token belongs to (`HubService.authenticate`),
    /// read on the token connection: what the last commit left, whoever made it.
    func authenticate(token: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            tokenQueue.async {
                continuation.resume(
                    with: Result { try self.using(&self.tokens) { try $0.authenticate(token: token) } })
            }
        }
    }

    /// Runs `body` on the database queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (HubService) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.using(&self.hub, body) })
                self.checkpointer?.request()
            }
        }
    }

    /// Runs read-only `body` on a reader connection, in turn, or on the
    /// database queue when the hub has none.
    func read<T: Sendable>(_ body: @escaping @Sendable (HubService) throws -> T) async throws -> T {
        guard !readers.isEmpty else { return try await run(body) }
        let turn = UInt(bitPattern: nextReader.wrappingAdd(1, ordering: .relaxed).oldValue)
        let reader = readers[Int(turn % UInt(readers.count))]
        return try await withCheckedThrowingContinuation { continuation in
            reader.queue.async {
                continuation.resume(with: Result { try self.using(&reader.hub, body) })
            }
        }
    }

    /// On PostgreSQL, this process's place among those serving the database.
    private var liveness: HubLiveness?

    /// Records that the hub starts serving and returns the epoch it serves:
    /// on a file, every start is an incarnation (`HubService.startIncarnation`);
    /// on PostgreSQL, the first process to serve makes one and others join it
    /// (`HubLiveness`).
    func startServing(_ location: HubLocation, logger: Logger) throws -> String {
        try queue.sync {
            try using(&hub) { hub in
                switch location {
                case .file:
                    return try hub.startIncarnation()
                case .postgres(let postgres):
                    let (epoch, liveness) = try HubLiveness.join(postgres, hub: hub, owner: self, logger: logger)
                    self.liveness = liveness
                    return epoch
                }
            }
        }
    }

    func close() {
        queue.sync { hub?.close() }
        for reader in readers { reader.queue.sync { reader.hub?.close() } }
        tokenQueue.sync { tokens?.close() }
        checkpointer?.close()
        queue.sync { liveness?.close() }
    }
}
