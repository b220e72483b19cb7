/// Merging states received from another node.
extension ReplicaStore {
    /// What merging one received state did.
    public enum MergeResult: Sendable, Equatable {
        /// This node already had everything in it: nothing written.
        case unchanged
        /// The merged state was stored; `newConflict` when a field went into conflict.
        case stored(newConflict: Bool)
    }

    /// Where a received state came from, which decides how the stored row is
    /// marked so that it is not sent back.
    public enum Source: Sendable {
        /// A station pulling from its hub: a result equal to the hub's state
        /// need not be pushed.
        case hub
        /// The hub receiving a push from `node`: a result equal to what the
        /// node sent is not pulled back by that node.
        case node(String)
    }

    /// Merges one received state into the store, inside the caller's write
    /// transaction (or its own). Idempotent: merging the same state again
    /// changes nothing on disk.
    @discardableResult
    public func merge(
        _ incoming: EntityState, from source: Source, check: (EntityState?) throws -> Void = { _ in }
    ) throws -> MergeResult {
        try writeTransaction {
            let existing = try storedEntity(incoming.kind, incoming.id)
            try check(existing?.state)
            let result: EntityState
            if let existing {
                result = try existing.state.merged(with: incoming)
                if result == existing.state {
                    if case .hub = source, !existing.acked, result == incoming {
                        try database.run("UPDATE entities SET acked = 1 WHERE seq = ?", [.integer(existing.seq)])
                    }
                    return .unchanged
                }
            } else {
                result = incoming
            }
            switch source {
            case .hub:
                _ = try put(result, acked: result == incoming)
            case .node(let node):
                _ = try put(result, origin: result == incoming ? node : nil)
            }
            guard result.hasConflict else { return .stored(newConflict: false) }
            let before = Set(existing?.state.conflictingFields ?? [])
            let newConflict = !Set(result.conflictingFields).subtracting(before).isEmpty
            return .stored(newConflict: newConflict)
        }
    }
}
