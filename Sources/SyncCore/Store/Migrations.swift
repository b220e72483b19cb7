import SyncModel

/// The named migrations of each kind of store. A station file gets the
/// replica's tables only; a hub file gets them and the hub's own.
///
/// Names never change and are never reused: a file records which ran. Station
/// files made before the two lists were split also hold the hub's (empty)
/// tables from "v1-hub"; nothing reads them.
enum Migrations {
    static var station: Migrator {
        var migrator = Migrator()
        registerReplica(&migrator)
        return migrator
    }

    static var hub: Migrator {
        var migrator = Migrator()
        registerReplica(&migrator)
        // Registered after the replica's later migrations, which it is
        // independent of; older hub files ran it second, and are unaffected.
        migrator.register(
            "v1-hub",
            """
            CREATE TABLE stations (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                created INTEGER NOT NULL,
                revoked INTEGER
            );
            -- Nodes are bound to their station at first contact.
            CREATE TABLE nodes (
                node TEXT PRIMARY KEY NOT NULL,
                station TEXT NOT NULL REFERENCES stations(id),
                first_seen INTEGER NOT NULL
            );
            -- When each station's data for a period first and last arrived.
            CREATE TABLE receipts (
                station TEXT NOT NULL,
                period TEXT NOT NULL,
                first_received INTEGER NOT NULL,
                last_received INTEGER NOT NULL,
                PRIMARY KEY (station, period)
            );
            """)
        migrator.register(
            "v4-hub-history",
            """
            -- Each start of the hub's server, with where the feed stood: a node
            -- whose cursor lies past the start of the incarnation after its own
            -- read a feed that a restore took back.
            CREATE TABLE incarnations (
                n INTEGER PRIMARY KEY,
                id TEXT UNIQUE NOT NULL,
                start_seq INTEGER NOT NULL,
                started INTEGER NOT NULL
            );
            -- The session token each node was last handed: a copy of a node that
            -- presents an older one is a restored or copied laptop.
            CREATE TABLE node_sessions (
                node TEXT PRIMARY KEY NOT NULL,
                token TEXT NOT NULL,
                updated INTEGER NOT NULL
            );
            -- Every time a node showed that the hub had gone back in time.
            CREATE TABLE rollbacks (
                n INTEGER PRIMARY KEY,
                detected INTEGER NOT NULL,
                node TEXT NOT NULL,
                station TEXT NOT NULL,
                feed_end INTEGER,
                node_cursor INTEGER NOT NULL
            );
            """)
        migrator.register(
            "v5-hub-node-keys",
            """
            -- Each node's bundle-signing key (public), learned from its first
            -- authenticated handshake: USB bundles are checked against it, so
            -- nothing else in this file suffices to forge one.
            -- Kept per node and station: a handshake with another station's
            -- token (a mistyped token) leaves the right station's key free.
            CREATE TABLE node_keys (
                node TEXT NOT NULL,
                station TEXT NOT NULL,
                key TEXT NOT NULL,
                learned INTEGER NOT NULL,
                PRIMARY KEY (node, station)
            );
            """)
        migrator.register(
            "v6-hub-units",
            """
            -- The township (镇) or street (街道) units stations belong to: the
            -- tier between station and district that reports subtotal.
            CREATE TABLE units (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                created INTEGER NOT NULL
            );
            ALTER TABLE stations ADD COLUMN unit TEXT REFERENCES units(id);
            """)
        migrator.register(
            "v7-hub-submissions",
            """
            -- A station's month: submitted, returned with a reason, or approved
            -- (and so locked). Every step is kept, with who, when and why.
            CREATE TABLE submissions (
                station TEXT NOT NULL,
                period TEXT NOT NULL,
                status TEXT NOT NULL,
                updated INTEGER NOT NULL,
                PRIMARY KEY (station, period)
            );
            CREATE TABLE submission_events (
                n INTEGER PRIMARY KEY,
                station TEXT NOT NULL,
                period TEXT NOT NULL,
                action TEXT NOT NULL,
                actor TEXT,
                reason TEXT,
                time INTEGER NOT NULL
            );
            -- Changes to a locked month, held for the operator (补报): the
            -- state as pushed, kept until accepted (merged) or refused.
            CREATE TABLE late_corrections (
                n INTEGER PRIMARY KEY,
                station TEXT NOT NULL,
                period TEXT NOT NULL,
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                state BLOB NOT NULL,
                node TEXT NOT NULL,
                received INTEGER NOT NULL,
                status TEXT NOT NULL,
                decided_by TEXT,
                decided INTEGER,
                reason TEXT
            );
            """)
        migrator.register(
            "v8-hub-communities-quotas",
            """
            -- Whether a station serves an urban community (城市社区) or a rural
            -- one (农村): a target the plan sets for one kind is judged only
            -- over those stations. NULL: nobody has said yet.
            ALTER TABLE stations ADD COLUMN community TEXT CHECK (community IN ('urban', 'rural'));
            -- A yearly volume the district splits across its units (任务分解):
            -- each unit is judged on schedule against its own share.
            CREATE TABLE quotas (
                indicator TEXT NOT NULL,
                unit TEXT NOT NULL REFERENCES units(id),
                year INTEGER NOT NULL,
                value INTEGER NOT NULL,
                set_by TEXT,
                set_at INTEGER NOT NULL,
                PRIMARY KEY (indicator, unit, year)
            );
            """)
        migrator.register(
            "v9-hub-token-lookup",
            """
            -- A request's token is found by its hash instead of compared with
            -- every station's: at 2,000 stations that was 2,000 rows read per
            -- request. The hash is of 256 random bits; looking it up tells
            -- a guesser nothing a comparison would not.
            CREATE INDEX stations_token_hash ON stations(token_hash);
            """)
        return migrator
    }

    private static func registerReplica(_ migrator: inout Migrator) {
        migrator.register(
            "v1-replica",
            """
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            -- One row per entity holding its latest state. seq is the changes feed:
            -- every change gives the row the next number, so "changed since N" is a
            -- range scan.
            CREATE TABLE entities (
                seq INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                station TEXT NOT NULL,
                period TEXT,
                state BLOB NOT NULL,
                display TEXT NOT NULL,
                conflict INTEGER NOT NULL,
                deleted INTEGER NOT NULL,
                -- Station: 1 when the hub is known to hold exactly this state.
                acked INTEGER NOT NULL DEFAULT 0,
                -- Hub: the node whose push produced exactly this state; it is not
                -- sent back to that node.
                origin TEXT,
                UNIQUE (kind, id)
            );
            CREATE INDEX entities_station_seq ON entities (station, seq, origin);
            CREATE INDEX entities_unacked ON entities (seq) WHERE acked = 0;
            CREATE INDEX entities_period ON entities (period) WHERE period IS NOT NULL;
            -- Local writes: who did what, when (field names only, never values).
            CREATE TABLE audit (
                n INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                node TEXT NOT NULL,
                counter INTEGER NOT NULL,
                clerk TEXT,
                time INTEGER NOT NULL,
                action TEXT NOT NULL,
                fields TEXT NOT NULL
            );
            """)
        migrator.register(
            "v2-no-display",
            """
            -- Display values were stored for listings that never read them (every
            -- reader decodes the state), at a cost on every write.
            ALTER TABLE entities DROP COLUMN display;
            """)
        migrator.register(
            "v3-pending",
            """
            -- What waits to be pushed, by seq, instead of a flag in each row:
            -- acknowledging a push deletes entries from this small table rather
            -- than rewriting every row it carried (and so, through the WAL, the
            -- whole entity table on a first sync).
            CREATE TABLE pending (seq INTEGER PRIMARY KEY);
            INSERT INTO pending SELECT seq FROM entities WHERE acked = 0;
            DROP INDEX entities_unacked;
            ALTER TABLE entities DROP COLUMN acked;
            """)
    }
}
