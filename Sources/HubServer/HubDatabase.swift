import Dispatch
import HubCore
import SyncModel

/// The hub behind one serial queue: SQLite calls block, so they run on this
/// queue's thread, never on Swift's small cooperative pool, and one at a
/// time (one connection, one owner).
final class HubDatabase: @unchecked Sendable {
    // @unchecked: `hub` is only touched inside `queue`, which is serial.
    private let hub: HubService
    private let queue = DispatchQueue(label: "hub.database")
    /// The entity schema, for work done off the queue.
    let schema: EntitySchema

    init(path: String, schema: EntitySchema) throws {
        hub = try HubService(path: path, schema: schema)
        self.schema = schema
    }

    /// Runs `body` on the database queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (HubService) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.hub) })
            }
        }
    }

    /// Records that the hub starts serving (see `HubService.startIncarnation`).
    func startIncarnation() throws -> String {
        try queue.sync { try hub.startIncarnation() }
    }

    func close() {
        queue.sync { hub.close() }
    }
}
