import SyncModel

/// What the hub remembers to find trips back in time: its own incarnations
/// (each server start, with where the feed stood) and each node's session token.
extension HubStore {
    /// One start of the hub's server.
    public struct Incarnation: Sendable, Equatable {
        public let id: String
        /// The feed's last position when it started: everything up to here
        /// was there before, everything after is this incarnation's.
        public let startSeq: Int64
    }

    /// Records a new incarnation starting at the feed's current end.
    @discardableResult
    public func startIncarnation(id: String, at time: Int64) throws -> Incarnation {
        try replica.writeTransaction {
            let start = try replica.lastSeq()
            try database.run(
                "INSERT INTO incarnations (id, start_seq, started) VALUES (?, ?, ?)",
                [.text(id), .integer(start), .integer(time)])
            return Incarnation(id: id, startSeq: start)
        }
    }

    /// Every incarnation, oldest first.
    public func incarnations() throws -> [Incarnation] {
        try database.rows("SELECT id, start_seq FROM incarnations ORDER BY n") {
            Incarnation(id: $0.text(0) ?? "", startSeq: $0.int64(1))
        }
    }

    /// The session token `node` was last handed, if any.
    public func sessionToken(node: String) throws -> String? {
        try database.scalarText("SELECT token FROM node_sessions WHERE node = ?", [.text(node)])
    }

    public func setSessionToken(node: String, token: String, at time: Int64) throws {
        try database.run(
            """
            INSERT INTO node_sessions (node, token, updated) VALUES (?, ?, ?)
            ON CONFLICT (node) DO UPDATE SET token = excluded.token, updated = excluded.updated
            """, [.text(node), .text(token), .integer(time)])
    }

    /// A node showed the feed had gone back: it had read to `nodeCursor`,
    /// where its incarnation's feed ended at `feedEnd` (nil: the hub does not
    /// know that incarnation at all).
    public func recordRollback(node: String, station: String, feedEnd: Int64?, nodeCursor: Int64, at time: Int64) throws
    {
        try database.run(
            "INSERT INTO rollbacks (detected, node, station, feed_end, node_cursor) VALUES (?, ?, ?, ?, ?)",
            [.integer(time), .text(node), .text(station), feedEnd.map { .integer($0) } ?? .null, .integer(nodeCursor)])
    }

    /// Whether `node` found the hub gone back in time since the hub's server
    /// last started: it is then sending again what the hub lost.
    public func isRecovering(node: String) throws -> Bool {
        try database.scalarInt(
            """
            SELECT count(*) FROM rollbacks
            WHERE node = ? AND detected >= (SELECT coalesce(max(started), 0) FROM incarnations)
            """, [.text(node)]) ?? 0 > 0
    }

    /// One trip back in time found by a node.
    public struct Rollback: Sendable, Equatable {
        public let detected: Int64
        public let node: String
        public let station: String
        public let feedEnd: Int64?
        public let nodeCursor: Int64
    }

    public func rollbacks() throws -> [Rollback] {
        try database.rows("SELECT detected, node, station, feed_end, node_cursor FROM rollbacks ORDER BY n") {
            Rollback(
                detected: $0.int64(0), node: $0.text(1) ?? "", station: $0.text(2) ?? "",
                feedEnd: $0.isNull(3) ? nil : $0.int64(3), nodeCursor: $0.int64(4))
        }
    }
}
