import Dispatch
import HubCore
import Logging
import SyncModel

/// The hub behind one serial queue: SQLite calls block, so they run on this
/// queue's thread, never on Swift's small cooperative pool, and one at a
/// time (one connection, one owner). Token checks and checkpoints have a
/// connection and a queue each, beside it.
final class HubDatabase: @unchecked Sendable {
    // @unchecked: `hub` and `liveness` are only touched inside `queue`, and `tokens` inside
    // `tokenQueue`, each serial.
    private let hub: HubService
    private let queue = DispatchQueue(label: "hub.database")
    /// A second connection, for token checks only: on `queue` every sync
    /// request waited behind the push being committed before its own body
    /// was read, so one push was decoded only once the one before was stored.
    private let tokens: HubService
    private let tokenQueue = DispatchQueue(label: "hub.tokens")
    /// Moves the log into the file after writes, instead of the commits on
    /// `queue`; nil for a database that checkpoints itself (PostgreSQL).
    private let checkpointer: HubCheckpointer?
    /// The entity schema, for work done off the queue.
    let schema: EntitySchema

    /// The hub in the SQLite file at `path`.
    convenience init(path: String, schema: EntitySchema) throws {
        try self.init(schema: schema, checkpoints: true) { try HubService(path: path, schema: schema) }
    }

    /// The hub on connections `open` makes, one each for the queue, the
    /// token checks and, with `checkpoints`, the checkpointer.
    init(schema: EntitySchema, checkpoints: Bool, open: () throws -> HubService) throws {
        hub = try open()
        tokens = try open()
        if checkpoints {
            checkpointer = HubCheckpointer(hub: try open())
            try hub.replica.setCheckpointsOnCommit(false)
        } else {
            checkpointer = nil
        }
        self.schema = schema
    }

    /// The station a bearer token belongs to (`HubService.authenticate`),
    /// read on the token connection: what the last commit left, whoever made it.
    func authenticate(token: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            tokenQueue.async {
                continuation.resume(with: Result { try self.tokens.authenticate(token: token) })
            }
        }
    }

    /// Runs `body` on the database queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (HubService) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.hub) })
                self.checkpointer?.request()
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
            switch location {
            case .file:
                return try hub.startIncarnation()
            case .postgres(let postgres):
                let (epoch, liveness) = try HubLiveness.join(postgres, hub: hub, logger: logger)
                self.liveness = liveness
                return epoch
            }
        }
    }

    func close() {
        queue.sync { hub.close() }
        tokenQueue.sync { tokens.close() }
        checkpointer?.close()
        queue.sync { liveness?.close() }
    }
}
