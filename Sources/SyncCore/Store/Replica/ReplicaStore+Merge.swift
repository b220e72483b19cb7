import SyncModel

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
    /// changes nothing on disk. `form` is `incoming`'s stored form, when the
    /// caller computed it ahead. `check` sees the stored state (nil when there
    /// is none) before anything is written, and may refuse by throwing; it
    /// must have no side effects, as it may be asked more than once.
    @discardableResult
    public func merge(
        _ incoming: EntityState, from source: Source, form: StoredForm? = nil,
        check: (EntityState?) throws -> Void = { _ in }
    ) throws -> MergeResult {
        try writeTransaction {
            // Most received states are of entities this node has never held
            // (a first sync, a new laptop): try a plain insert first, which
            // skips the lookup. `check` is asked about nil first, and again
            // about the stored state if there turns out to be one.
            // Stored as received, so it waits for no push whichever way it came.
            if let form, (try? check(nil)) != nil {
                var origin: String?
                if case .node(let node) = source { origin = node }
                if try insertIfNew(incoming, origin: origin, form: form) {
                    return .stored(newConflict: form.conflict)
                }
            }
            let existing = try storedEntity(incoming.kind, incoming.id)
            try check(existing?.state)
            let result: EntityState
            if let existing {
                result = try existing.state.merged(with: incoming)
                // Two valid states can join into one the schema refuses (when
                // one claimed writes it never carried): never store that.
                if result != incoming && result != existing.state {
                    do throws(ValidationError) {
                        try schema.validate(result)
                    } catch {
                        throw StoreError.invalid(error)
                    }
                }
                if result == existing.state {
                    if case .hub = source, !existing.acked, result == incoming {
                        try database.run("DELETE FROM pending WHERE seq = ?", [.integer(existing.seq)])
                    }
                    return .unchanged
                }
            } else {
                result = incoming
            }
            // `form` (computed ahead, off this thread) describes `incoming`:
            // usable only when that is what gets stored.
            let asReceived = existing == nil || result == incoming
            let resultForm = asReceived ? form ?? StoredForm(result) : StoredForm(result)
            switch source {
            case .hub:
                _ = try put(result, replacing: existing, acked: asReceived, form: resultForm)
            case .node(let node):
                // The hub pushes to no one: its rows never wait to be pushed.
                _ = try put(result, replacing: existing, acked: true, origin: asReceived ? node : nil, form: resultForm)
            }
            guard resultForm.conflict else { return .stored(newConflict: false) }
            let before = Set(existing?.state.conflictingFields ?? [])
            let newConflict = !Set(result.conflictingFields).subtracting(before).isEmpty
            return .stored(newConflict: newConflict)
        }
    }
}
