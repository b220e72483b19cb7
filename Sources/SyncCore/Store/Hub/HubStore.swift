import SyncModel

/// The hub's file: every station's entities (a `ReplicaStore` with the hub's
/// migrations) and the hub's own tables: registered stations with their
/// token hashes, nodes bound to stations, receipts, settings.
///
/// SQL only: who may do what is decided in HubCore. Not `Sendable`; the
/// server runs it on one serial queue.
public final class HubStore {
    public let replica: ReplicaStore

    /// A registered station.
    public struct StationInfo: Sendable, Equatable {
        public let id: String
        public let name: String
        public let created: Int64
        public let revoked: Int64?
        public let nodes: Int
        /// The township or street unit it belongs to, if any.
        public var unit: String? = nil
        /// "urban" or "rural"; nil until the operator says which.
        public var community: String? = nil
    }

    /// Opens or creates the hub's store. Durability stays full: a push is
    /// acknowledged only after its commit is on disk (WAL, synchronous=FULL).
    public convenience init(path: String, schema: EntitySchema = EntitySchema()) throws {
        self.init(
            replica: try ReplicaStore(path: path, durability: .full, schema: schema, migrations: Migrations.hub))
    }

    /// The hub's store on `connection` (a PostgreSQL database), its tables
    /// made or brought up to date by `migrations`, that dialect's list.
    package convenience init(connection: any StoreConnection, schema: EntitySchema, migrations: Migrator) throws {
        self.init(replica: try ReplicaStore(connection: connection, schema: schema, migrations: migrations))
    }

    private init(replica: ReplicaStore) {
        self.replica = replica
        // The hub's own writes (an operator's resolution) are made under a
        // node id new to each process: a hub file restored from a backup
        // then never makes a write under a dot it handed out before.
        replica.nodeID = Identifiers.newNodeID()
    }

    public func close() { replica.close() }

    var database: any StoreConnection { replica.database }

    // MARK: - Stations

    /// Registers a station; false, with nothing written, when the id is taken.
    public func insertStation(id: String, name: String, tokenHash: String, created: Int64, unit: String? = nil) throws
        -> Bool
    {
        try database.transaction {
            guard try database.scalarInt("SELECT count(*) FROM stations WHERE id = ?", [.text(id)]) == 0 else {
                return false
            }
            try database.run(
                "INSERT INTO stations (id, name, token_hash, created, unit) VALUES (?, ?, ?, ?, ?)",
                [.text(id), .text(name), .text(tokenHash), .integer(created), .optional(unit)])
            return true
        }
    }

    public func stations() throws -> [StationInfo] {
        try database.rows(
            """
            SELECT s.id, s.name, s.created, s.revoked, (SELECT count(*) FROM nodes n WHERE n.station = s.id), s.unit,
                s.community
            FROM stations s ORDER BY s.id
            """
        ) {
            StationInfo(
                id: $0.text(0) ?? "", name: $0.text(1) ?? "", created: $0.int64(2),
                revoked: $0.isNull(3) ? nil : $0.int64(3), nodes: Int($0.int64(4)), unit: $0.text(5),
                community: $0.text(6))
        }
    }

    /// Records whether a station is urban or rural (nil: unknown); false when no such station.
    public func setCommunity(station: String, community: String?) throws -> Bool {
        try database.run("UPDATE stations SET community = ? WHERE id = ?", [.optional(community), .text(station)])
        return database.changes == 1
    }

    /// Marks a station's token revoked at `time`; false when no such station
    /// is registered (revoking twice keeps the first time).
    public func revokeStation(id: String, at time: Int64) throws -> Bool {
        try database.transaction {
            try database.run(
                "UPDATE stations SET revoked = ? WHERE id = ? AND revoked IS NULL", [.integer(time), .text(id)])
            if database.changes == 1 { return true }
            return try database.scalarInt("SELECT count(*) FROM stations WHERE id = ?", [.text(id)]) == 1
        }
    }

    /// Replaces a station's token hash and lifts a revocation; false when no
    /// such station is registered.
    public func replaceToken(station: String, tokenHash: String) throws -> Bool {
        try database.run(
            "UPDATE stations SET token_hash = ?, revoked = NULL WHERE id = ?", [.text(tokenHash), .text(station)])
        return database.changes == 1
    }

    /// The stations not revoked whose token has hash `tokenHash`: one, or
    /// none for an unknown or revoked token (`stations_token_hash`).
    public func activeStations(tokenHash: String) throws -> [String] {
        try database.rows(Self.stationsByTokenHash, [.text(tokenHash)]) { $0.text(0) ?? "" }
    }

    static let stationsByTokenHash = "SELECT id FROM stations WHERE token_hash = ? AND revoked IS NULL LIMIT 2"

    /// The token hash of `station`, unless it is unknown or revoked.
    public func activeTokenHash(station: String) throws -> String? {
        try database.scalarText("SELECT token_hash FROM stations WHERE id = ? AND revoked IS NULL", [.text(station)])
    }

    // MARK: - Nodes

    /// The station `node` is bound to, if any.
    public func station(ofNode node: String) throws -> String? {
        try database.scalarText("SELECT station FROM nodes WHERE node = ?", [.text(node)])
    }

    /// Binds an unbound node to a station.
    public func bind(node: String, to station: String, at time: Int64) throws {
        try database.run(
            "INSERT INTO nodes (node, station, first_seen) VALUES (?, ?, ?)",
            [.text(node), .text(station), .integer(time)])
    }

    // MARK: - Receipts

    /// Notes that `station`'s figures for `periods` arrived at `time`.
    public func recordReceipts(station: String, periods: some Sequence<String>, at time: Int64) throws {
        for period in periods {
            try database.run(
                """
                INSERT INTO receipts (station, period, first_received, last_received) VALUES (?, ?, ?, ?)
                ON CONFLICT (station, period) DO UPDATE SET last_received = excluded.last_received
                """,
                [.text(station), .text(period), .integer(time), .integer(time)])
        }
    }

    /// When each station's figures for `period` last arrived.
    public func lastReceipts(period: String) throws -> [String: Int64] {
        var received: [String: Int64] = [:]
        try database.forEach("SELECT station, last_received FROM receipts WHERE period = ?", [.text(period)]) {
            received[$0.text(0) ?? ""] = $0.int64(1)
        }
        return received
    }

    // MARK: - The pull feed

    /// Up to `limit` of `station`'s states changed after `since`, in feed
    /// order, leaving out states that are exactly what `node` itself pushed;
    /// with the feed position of each.
    public func feedPage(station: String, excludingOriginNode node: String, since: Int64, limit: Int) throws
        -> (states: [[UInt8]], seqs: [Int64])
    {
        var states: [[UInt8]] = []
        var seqs: [Int64] = []
        try database.forEach(
            """
            SELECT seq, state FROM entities WHERE station = ? AND seq > ? AND (origin IS NULL OR origin != ?)
            ORDER BY seq LIMIT ?
            """,
            [.text(station), .integer(since), .text(node), .integer(Int64(limit))]
        ) { row in
            seqs.append(row.int64(0))
            states.append(row.blob(1))
        }
        return (states, seqs)
    }
}
