import SyncModel

/// One node's replicated store: entity states with their clocks, the changes
/// feed, and the audit trail, in one SQLite file (a station's, a district
/// hub's) or, for a provincial hub, one PostgreSQL database.
///
/// Every local write and every merge is one transaction. Not `Sendable`: one
/// owner at a time (see `StoreConnection`).
public final class ReplicaStore {
    /// Only this target runs SQL: nothing above the store reaches the connection.
    let database: any StoreConnection
    /// The same connection when it is an SQLite file: for the few things
    /// only SQLite has (checkpoints, binding a row in place on the merge path).
    let sqlite: Database?
    /// This node's id, made when the file is created, and made anew when the
    /// hub shows this file is a restored or copied one (`reidentify`).
    public internal(set) var nodeID: String
    public var schema: EntitySchema
    /// Overridable for tests: the date that bounds dates typed by clerks.
    public var today: () -> CalendarDate = { CalendarDate.today() }
    public var now: () -> Int64 = currentTimeMillis
    /// The file keeps its secrets sealed (`ReplicaStore+Encryption`): states,
    /// audit clerks and fields, and secret settings are read and written only
    /// once a cipher is set with `unlock`.
    public internal(set) var isEncrypted: Bool
    /// Seals and opens those values; nil until the store is unlocked.
    public internal(set) var cipher: (any StoreCipher)?

    private var transactionSeq: Int64?
    /// Inside `storingNewRecords`: the first sequence number it handed out.
    var newRecordsPendingFrom: Int64?

    /// Opens or creates a station's store at `path`.
    public convenience init(path: String, durability: Durability = .full, schema: EntitySchema = EntitySchema()) throws
    {
        try self.init(path: path, durability: durability, schema: schema, migrations: Migrations.station)
    }

    convenience init(path: String, durability: Durability, schema: EntitySchema, migrations: Migrator) throws {
        try self.init(
            connection: try Database(path: path, durability: durability), schema: schema, migrations: migrations)
    }

    /// A store on `connection`, its tables made or brought up to date by
    /// `migrations`. The store owns the connection from then on.
    package init(connection: any StoreConnection, schema: EntitySchema, migrations: Migrator) throws {
        database = connection
        sqlite = connection as? Database
        try migrations.migrate(database)
        if let node = try database.scalarText("SELECT value FROM meta WHERE key = 'node_id'") {
            nodeID = node
        } else {
            let node = Identifiers.newNodeID()
            try database.run(
                "INSERT INTO meta (key, value) VALUES ('node_id', ?) ON CONFLICT (key) DO NOTHING", [.text(node)])
            nodeID = try database.scalarText("SELECT value FROM meta WHERE key = 'node_id'") ?? node
        }
        isEncrypted =
            try database.scalarInt("SELECT count(*) FROM meta WHERE key = ?", [.text(Self.encryptionKeyName)]) == 1
        self.schema = schema
    }

    public func close() { database.close() }

    /// The connection to the database broke: this store can do nothing
    /// more, and its owner opens another (`HubDatabase`).
    package var isConnectionLost: Bool { database.isLost }

    // MARK: - Checkpoints

    /// Whether a commit that leaves the write-ahead log past 1,000 pages
    /// moves it into the database file itself (SQLite's default). The hub's
    /// server turns this off and has `checkpointPassively` run on another
    /// connection, so that no push waits behind it. Nothing about
    /// durability changes: a commit is on disk once its log is synced.
    public func setCheckpointsOnCommit(_ enabled: Bool) throws {
        try sqlite?.execute("PRAGMA wal_autocheckpoint=\(enabled ? 1000 : 0)")
    }

    /// Moves what the write-ahead log holds into the database file, as far
    /// as readers allow, waiting for no one.
    public func checkpointPassively() throws {
        try sqlite?.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    // MARK: - Meta

    /// The meta table holds the node id and the typed settings
    /// (`StationSettings`, `HubSettings`); its keys are named there only.
    func meta(_ key: String) throws -> String? {
        try database.scalarText("SELECT value FROM meta WHERE key = ?", [.text(key)])
    }

    func setMeta(_ key: String, _ value: String?) throws {
        if let value {
            try database.run(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [.text(key), .text(value)])
        } else {
            try database.run("DELETE FROM meta WHERE key = ?", [.text(key)])
        }
    }

    // MARK: - Transactions and sequence numbers

    /// Runs `body` in one write transaction: everything it writes through
    /// this store commits together or not at all. Sequence numbers handed out
    /// inside it follow the highest committed one.
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionSeq != nil { return try body() }
        return try database.transaction {
            transactionSeq = try database.scalarInt("SELECT max(seq) FROM entities") ?? 0
            defer { transactionSeq = nil }
            return try body()
        }
    }

    /// Inside a write transaction, the last sequence number taken: the
    /// feed's committed end until the transaction writes (read once as it
    /// began, so asking costs nothing); nil outside one.
    package var lastSeqInTransaction: Int64? { transactionSeq }

    /// Runs `body` inside the current write transaction as a part of it
    /// that is undone alone, sequence numbers included, when it throws.
    public func writePart<T>(_ body: () throws -> T) throws -> T {
        precondition(transactionSeq != nil, "a part of a write transaction is written inside one")
        let seq = transactionSeq
        do {
            return try database.savepoint(body)
        } catch {
            transactionSeq = seq
            throw error
        }
    }

    /// Runs `body` in one read transaction, so every read sees one snapshot.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try database.readTransaction(body)
    }

    private func nextSeq() -> Int64 {
        precondition(transactionSeq != nil, "sequence numbers are handed out inside a write transaction")
        transactionSeq! += 1
        return transactionSeq!
    }

    /// The highest sequence number in the feed.
    public func lastSeq() throws -> Int64 {
        try database.scalarInt("SELECT max(seq) FROM entities") ?? 0
    }

    // MARK: - Reading

    /// The stored state of an entity, or nil.
    public func entity(_ kind: EntityKind, _ id: String) throws -> EntityState? {
        try storedEntity(kind, id)?.state
    }

    struct Stored {
        let seq: Int64
        let state: EntityState
        /// The hub is known to hold exactly this state: it waits for no push.
        let acked: Bool
    }

    func storedEntity(_ kind: EntityKind, _ id: String) throws -> Stored? {
        try database.first(
            """
            SELECT seq, state, NOT EXISTS (SELECT 1 FROM pending WHERE pending.seq = entities.seq)
            FROM entities WHERE kind = ? AND id = ?
            """, [.text(kind.rawValue), .text(id)]
        ) { row in
            let bytes = try openState(row.blob(1), kind: kind, id: id)
            do {
                return Stored(seq: row.int64(0), state: try EntityState.decodeJSON(bytes), acked: row.int64(2) != 0)
            } catch {
                throw StoreError.corrupt(kind: kind, id: id, reason: String(describing: error))
            }
        }
    }

    /// One page of the changes feed: states whose latest change has a
    /// sequence number above `since`, in order.
    public func changes(since: Int64, limit: Int, station: String? = nil) throws -> [FeedEntry] {
        let decode: (any StoreRow) throws -> FeedEntry = { row in
            FeedEntry(seq: row.int64(0), bytes: try self.openState(row, state: 3, kind: 1, id: 2))
        }
        if let station {
            return try database.rows(
                "SELECT seq, kind, id, state FROM entities WHERE station = ? AND seq > ? ORDER BY seq LIMIT ?",
                [.text(station), .integer(since), .integer(Int64(limit))], decode)
        }
        return try database.rows(
            "SELECT seq, kind, id, state FROM entities WHERE seq > ? ORDER BY seq LIMIT ?",
            [.integer(since), .integer(Int64(limit))], decode)
    }

    /// An entry of the changes feed: its sequence number and the state's bytes.
    public struct FeedEntry: Sendable {
        public let seq: Int64
        public let bytes: [UInt8]

        public func decode() throws -> EntityState { try EntityState.decodeJSON(bytes) }
    }

    /// Entities of one kind, optionally filtered, in id order.
    public func entities(
        _ kind: EntityKind, station: String? = nil, period: String? = nil, inConflict: Bool = false,
        includeDeleted: Bool = false
    ) throws -> [EntityState] {
        var sql = "SELECT kind, id, state FROM entities WHERE kind = ?"
        var values: [DatabaseValue] = [.text(kind.rawValue)]
        if let station {
            sql += " AND station = ?"
            values.append(.text(station))
        }
        if let period {
            sql += " AND period = ?"
            values.append(.text(period))
        }
        if inConflict { sql += " AND conflict = 1" }
        if !includeDeleted { sql += " AND (deleted = 0 OR conflict = 1)" }
        sql += " ORDER BY id"
        return try database.rows(sql, values) { row in
            let id = row.text(1) ?? ""
            let bytes = try openState(row.blob(2), kind: kind, id: id)
            do { return try EntityState.decodeJSON(bytes) } catch {
                throw StoreError.corrupt(kind: kind, id: id, reason: String(describing: error))
            }
        }
    }

    /// Entities with a field in conflict, of every kind.
    public func conflicts() throws -> [EntityState] {
        try EntityKind.allCases.flatMap { try entities($0, inConflict: true, includeDeleted: true) }
    }

    // MARK: - Storing

    /// Inserts the state of an entity this node does not hold, under the next
    /// sequence number, as not waiting to be pushed (it came from elsewhere;
    /// `store(_:)` adds the pending entry of a new local record itself);
    /// false, with nothing written, when the node holds the entity.
    /// `storedJSON`: the form's JSON already sealed (`NewRecordBuilder`).
    func insertIfNew(_ state: EntityState, origin: String?, form: StoredForm, storedJSON: [UInt8]? = nil) throws
        -> Bool
    {
        let seq = nextSeq()
        try write(Self.insertUnlessHeld, state, seq: seq, origin: origin, form: form, storedJSON: storedJSON)
        if database.changes == 1 { return true }
        // Nothing was inserted: hand the number out again, so the feed has no gaps.
        transactionSeq! -= 1
        return false
    }

    /// Writes a state under the next sequence number, over `previous`, the
    /// entity's stored row if it has one. `form` is the state's stored form
    /// when the caller computed it ahead.
    func put(
        _ state: EntityState, replacing previous: Stored?, acked: Bool = false, origin: String? = nil,
        form: StoredForm? = nil
    ) throws -> Int64 {
        let seq = nextSeq()
        try write(Self.upsert, state, seq: seq, origin: origin, form: form ?? StoredForm(state))
        // The row's old seq no longer names it: it stops waiting, and the new
        // one waits unless the hub already holds this state.
        if let previous, !previous.acked {
            try database.run("DELETE FROM pending WHERE seq = ?", [.integer(previous.seq)])
        }
        if !acked { try database.run("INSERT INTO pending (seq) VALUES (?)", [.integer(seq)]) }
        return seq
    }

    private static let insertRow = """
        INSERT INTO entities (seq, kind, id, station, period, state, conflict, deleted, origin)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    private static let insertUnlessHeld = insertRow + " ON CONFLICT (kind, id) DO NOTHING"
    private static let upsert =
        insertRow + """
             ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, state = excluded.state,
                conflict = excluded.conflict, deleted = excluded.deleted, origin = excluded.origin
            """

    /// Runs `sql` (`insertRow` and a conflict clause) on `state`'s row; its
    /// JSON sealed when the store is encrypted, unless `storedJSON` is it sealed.
    private func write(
        _ sql: String, _ state: EntityState, seq: Int64, origin: String?, form: StoredForm, storedJSON: [UInt8]? = nil
    ) throws {
        let json = try storedJSON ?? sealState(form.json, kind: state.kind, id: state.id)
        guard let sqlite else {
            try database.run(
                sql,
                [
                    .integer(seq), .text(state.kind.rawValue), .text(state.id), .text(state.station),
                    .optional(form.period), .blob(json), .integer(form.conflict ? 1 : 0),
                    .integer(form.deleted ? 1 : 0), .optional(origin),
                ])
            return
        }
        try sqlite.run(sql) { row throws(DatabaseError) in
            try row.integer(seq)
            try row.text(state.kind.rawValue)
            try row.text(state.id)
            try row.text(state.station)
            try row.text(form.period)
            try row.blob(json)
            try row.integer(form.conflict ? 1 : 0)
            try row.integer(form.deleted ? 1 : 0)
            try row.text(origin)
        }
    }
}
