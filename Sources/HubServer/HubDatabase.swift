import Dispatch
import SyncCore

/// The hub's store behind one serial queue: SQLite calls block, so they run
/// on this queue's thread, never on Swift's small cooperative pool, and one
/// at a time (one connection, one owner).
final class HubDatabase: @unchecked Sendable {
    // @unchecked: `store` is only touched inside `queue`, which is serial.
    private let store: HubStore
    private let queue = DispatchQueue(label: "hub.database")
    /// The entity schema, for work done off the queue.
    let schema: EntitySchema

    init(path: String, schema: EntitySchema) throws {
        store = try HubStore(path: path, schema: schema)
        self.schema = schema
    }

    /// Runs `body` on the database queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (HubStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.store) })
            }
        }
    }

    func close() {
        queue.sync { store.close() }
    }
}
