import SyncModel

/// What waits to be pushed: the `pending` table, owned here alone. `put`
/// adds a row's new seq and drops its old one; a push's acknowledgement
/// deletes the seqs the hub took.
extension ReplicaStore {
    /// One batch of states waiting to be pushed, oldest change first.
    public struct PendingBatch: Sendable {
        /// The feed positions the batch carries, to acknowledge once the hub took them.
        public let seqs: [Int64]
        /// Each state's stored (canonical) bytes.
        public let states: [[UInt8]]
    }

    /// Entities waiting to be pushed.
    public func pendingCount() throws -> Int {
        Int(try database.scalarInt("SELECT count(*) FROM pending") ?? 0)
    }

    /// Every state waiting to be pushed, oldest change first (for a bundle).
    public func pendingStates() throws -> [[UInt8]] {
        try database.rows(
            "SELECT e.state, e.kind, e.id FROM pending p JOIN entities e ON e.seq = p.seq ORDER BY p.seq"
        ) { try openState($0, state: 0, kind: 1, id: 2) }
    }

    /// The next batch after feed position `after`: at most `limit` states and,
    /// past the first, at most about `maxBytes` of them. Empty when none wait.
    public func pendingBatch(after: Int64, limit: Int, maxBytes: Int) throws -> PendingBatch {
        var seqs: [Int64] = []
        var states: [[UInt8]] = []
        var bytes = 0
        try database.forEach(
            """
            SELECT p.seq, e.state, e.kind, e.id FROM pending p JOIN entities e ON e.seq = p.seq
            WHERE p.seq > ? ORDER BY p.seq LIMIT ?
            """,
            [.integer(after), .integer(Int64(limit))]
        ) { row in
            guard bytes < maxBytes else { return }
            let state = try openState(row, state: 1, kind: 2, id: 3)
            bytes += state.count + 1
            seqs.append(row.int64(0))
            states.append(state)
        }
        return PendingBatch(seqs: seqs, states: states)
    }

    /// Marks the hub as holding the states pushed under `seqs`, in one
    /// transaction. A row written again since has a newer seq, which stays pending.
    public func acknowledge(_ seqs: some Sequence<Int64>) throws {
        try writeTransaction {
            for seq in seqs {
                try database.run("DELETE FROM pending WHERE seq = ?", [.integer(seq)])
            }
        }
    }
}
