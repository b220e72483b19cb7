import SyncModel

/// Checks on the file itself, for tests, fault drills and the benchmark.
extension ReplicaStore {
    /// Everything the entity table and the audit trail hold (seq, state,
    /// pending, origin; the audit row count), as one string: equal strings
    /// mean nothing was written in between.
    public func contentFingerprint() throws -> String {
        // Built here rather than with SQLite's group_concat and hex, so that
        // the same string comes out of every dialect.
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        try database.forEach(
            """
            SELECT seq, state, EXISTS (SELECT 1 FROM pending p WHERE p.seq = e.seq), coalesce(origin, '')
            FROM entities e ORDER BY seq
            """
        ) { row in
            if !text.isEmpty { text.append(UInt8(ascii: "|")) }
            text += Array("\(row.int64(0)):".utf8)
            for byte in row.blob(1) {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
            text += Array(":\(row.int64(2)):\(row.text(3) ?? "")".utf8)
        }
        let audit = try database.scalarInt("SELECT count(*) FROM audit") ?? -1
        return String(decoding: text, as: UTF8.self) + "#\(audit)"
    }

    /// SQLite's own check of the file: "ok" when sound.
    public func integrityCheck() throws -> String {
        // PostgreSQL has no such check to ask for: its pages are checked
        // as they are read (and by its own tools, pg_amcheck).
        guard let sqlite else { return "ok" }
        return try sqlite.scalarText("PRAGMA integrity_check") ?? ""
    }

    /// Moves the write-ahead log into the main file, so the file alone holds everything.
    public func checkpoint() throws {
        try sqlite?.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}

/// The benchmark's floor: the entity rows of a store copied into a fresh
/// file with one prepared statement in one transaction, no clocks, no JSON.
public struct RawIngest {
    private let rows: [[DatabaseValue]]

    public var count: Int { rows.count }

    /// Reads every entity row of `store`, as stored: a plain store's only
    /// (an encrypted one's sealed states would land in a file without its key).
    public init(copying store: ReplicaStore) throws {
        precondition(!store.isEncrypted, "the floor copies a plain store")
        guard let sqlite = store.sqlite else { preconditionFailure("the floor copies an SQLite store") }
        rows = try sqlite.query(
            "SELECT seq, kind, id, station, period, state, conflict, deleted FROM entities ORDER BY seq")
    }

    /// Makes a station store at `path` (schema only) and opens it for `insert`.
    public func prepare(at path: String) throws -> Target {
        try ReplicaStore(path: path).close()
        return Target(database: try Database(path: path), rows: rows)
    }

    /// A fresh file waiting for the rows; `insert` is what the benchmark times.
    public struct Target {
        fileprivate let database: Database
        fileprivate let rows: [[DatabaseValue]]

        public func insert() throws {
            try database.transaction {
                for row in rows {
                    try database.run(
                        "INSERT INTO entities (seq, kind, id, station, period, state, conflict, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        row)
                }
            }
        }

        public func close() { database.close() }
    }
}
