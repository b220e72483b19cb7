import SyncModel

/// What a station keeps between syncs to find a trip back in time on either
/// side: its session with the hub, and which hub incarnation its cursor is in.
public struct SyncCheckpoint: Sendable, Equatable {
    /// The token the hub handed this node at the last handshake.
    public var sessionCurrent: String?
    /// The tokens held before it, newest first.
    public var sessionHistory: [String] = []
    /// The token being handed over, kept until the hub confirms it.
    public var sessionNext: String?
    /// The hub incarnation of the pull cursor.
    public var hubEpoch: String?
    /// The last audit row written before the last confirmed handshake: every
    /// write after it may be unknown to the hub, or known there as another write.
    public var auditMark: Int64
    /// The hub's bundle key (public, hex), learned in the handshake or set
    /// by `station config --hub-key`: USB bundles are sealed to it.
    public var hubBundleKey: String?
    /// The months the hub has approved and locked, as of the last handshake.
    public var lockedPeriods: [String] = []

    public init(sessionCurrent: String?, sessionNext: String?, hubEpoch: String?, auditMark: Int64) {
        self.sessionCurrent = sessionCurrent
        self.sessionNext = sessionNext
        self.hubEpoch = hubEpoch
        self.auditMark = auditMark
    }

    enum Key {
        static let sessionCurrent = "session_current"
        static let sessionNext = "session_next"
        static let sessionHistory = "session_history"
        static let hubEpoch = "hub_epoch"
        static let auditMark = "session_audit_mark"
        static let hubBundleKey = "hub_bundle_key"
        static let lockedPeriods = "locked_periods"
        /// The node's private bundle-signing key (hex). Never leaves the
        /// store; sealed in an encrypted one.
        static let signingKey = "signing_key"
    }
}

extension ReplicaStore {
    public func syncCheckpoint() throws -> SyncCheckpoint {
        typealias Key = SyncCheckpoint.Key
        var checkpoint = SyncCheckpoint(
            sessionCurrent: try meta(Key.sessionCurrent), sessionNext: try meta(Key.sessionNext),
            hubEpoch: try meta(Key.hubEpoch), auditMark: try meta(Key.auditMark).flatMap { Int64($0) } ?? 0)
        checkpoint.sessionHistory = try meta(Key.sessionHistory)?.split(separator: ",").map(String.init) ?? []
        checkpoint.hubBundleKey = try meta(Key.hubBundleKey)
        checkpoint.lockedPeriods = try meta(Key.lockedPeriods)?.split(separator: ",").map(String.init) ?? []
        return checkpoint
    }

    public func saveSyncCheckpoint(_ checkpoint: SyncCheckpoint) throws {
        typealias Key = SyncCheckpoint.Key
        try writeTransaction {
            try setMeta(Key.sessionCurrent, checkpoint.sessionCurrent)
            try setMeta(Key.sessionNext, checkpoint.sessionNext)
            try setMeta(
                Key.sessionHistory,
                checkpoint.sessionHistory.isEmpty ? nil : checkpoint.sessionHistory.joined(separator: ","))
            try setMeta(Key.hubEpoch, checkpoint.hubEpoch)
            try setMeta(Key.auditMark, String(checkpoint.auditMark))
            try setMeta(Key.hubBundleKey, checkpoint.hubBundleKey)
            try setMeta(
                Key.lockedPeriods,
                checkpoint.lockedPeriods.isEmpty ? nil : checkpoint.lockedPeriods.joined(separator: ","))
        }
    }

    /// This node's private bundle-signing key (hex), or nil before one was
    /// made. The node id and its key go together: a new id drops the key.
    public func signingKey() throws -> String? {
        try secretMeta(SyncCheckpoint.Key.signingKey)
    }

    /// Keeps the key made by `make` unless one is kept already; returns the kept one.
    public func signingKey(orMake make: () -> String) throws -> String {
        try writeTransaction {
            if let kept = try secretMeta(SyncCheckpoint.Key.signingKey) { return kept }
            let made = make()
            try setSecretMeta(SyncCheckpoint.Key.signingKey, made)
            return made
        }
    }

    /// The number of the last audit row (0 when there is none).
    public func lastAuditNumber() throws -> Int64 {
        try database.scalarInt("SELECT max(n) FROM audit") ?? 0
    }

    /// After the hub went back in time: everything this node holds waits to
    /// be pushed again, and the next pull reads the hub's feed from the start.
    /// Pushing a state the hub has changes nothing there, so this is safe.
    public func resendEverything(hubEpoch: String) throws {
        try writeTransaction {
            try database.run("INSERT OR IGNORE INTO pending (seq) SELECT seq FROM entities")
            try setPullCursor(0)
            var checkpoint = try syncCheckpoint()
            checkpoint.hubEpoch = hubEpoch
            try saveSyncCheckpoint(checkpoint)
        }
    }

    /// Gives this node a new id after the hub showed it is a restored or
    /// copied store, and moves every write made since the last confirmed
    /// handshake to the new id (`EntityState.reidentified`), in one
    /// transaction. Those writes then reach the hub as new writes, concurrent
    /// with whatever the other copy wrote under the old id; the pull starts
    /// again from the beginning, so what this copy forgot comes back.
    /// With `everything` (the hub was restored too, so it may have lost
    /// writes made before the mark), every write of the old id moves.
    /// Returns the new id.
    @discardableResult
    public func reidentify(everything: Bool = false) throws -> String {
        try writeTransaction {
            let old = nodeID
            let new = Identifiers.newNodeID()
            let mark = everything ? 0 : try syncCheckpoint().auditMark
            var firstCounters: [String: (kind: EntityKind, counter: UInt64)] = [:]
            try database.forEach(
                "SELECT kind, id, min(counter) FROM audit WHERE n > ? AND node = ? GROUP BY kind, id",
                [.integer(mark), .text(old)]
            ) { row in
                guard let kind = EntityKind(rawValue: row.text(0) ?? "") else { return }
                firstCounters[row.text(1) ?? ""] = (kind, UInt64(row.int64(2)))
            }
            for (id, first) in firstCounters.sorted(by: { $0.key < $1.key }) {
                guard let stored = try storedEntity(first.kind, id) else { continue }
                let moved = stored.state.reidentified(from: old, to: new, from: first.counter)
                if moved != stored.state { _ = try put(moved, replacing: stored) }
            }
            try setMeta("node_id", new)
            // A copy's key is the original's too: the new id gets its own.
            try setMeta(SyncCheckpoint.Key.signingKey, nil)
            try setMeta("retired_node_ids", ((try meta("retired_node_ids")).map { $0 + "," } ?? "") + old)
            try setPullCursor(0)
            var checkpoint = try syncCheckpoint()
            (checkpoint.sessionCurrent, checkpoint.sessionNext, checkpoint.sessionHistory) = (nil, nil, [])
            try saveSyncCheckpoint(checkpoint)
            nodeID = new
            return new
        }
    }
}
