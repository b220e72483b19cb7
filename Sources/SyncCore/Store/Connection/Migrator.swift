import SyncModel

/// Applies named migrations in order, each once, each in its own transaction,
/// recording what ran in `schema_migrations`. Several processes may migrate
/// one database at once: each migration runs under the write lock and is
/// skipped by whoever comes second.
package struct Migrator {
    package struct Migration {
        package let name: String
        /// Run in order. SQLite takes several statements in one string;
        /// PostgreSQL needs them one by one.
        package let statements: [String]
    }

    package private(set) var migrations: [Migration] = []

    package init() {}

    package mutating func register(_ name: String, _ sql: String) {
        migrations.append(Migration(name: name, statements: [sql]))
    }

    package mutating func register(_ name: String, statements: [String]) {
        migrations.append(Migration(name: name, statements: statements))
    }

    package func migrate(_ database: any StoreConnection) throws {
        // Under the write lock too, so that two processes starting on one
        // new PostgreSQL database do not both create it.
        try database.transaction {
            try database.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at BIGINT NOT NULL)"
            )
        }
        let applied = Set(try database.rows("SELECT name FROM schema_migrations") { $0.text(0) ?? "" })
        for migration in migrations where !applied.contains(migration.name) {
            try database.transaction {
                // Another process may have run it while we waited for the lock.
                let done = try database.scalarInt(
                    "SELECT count(*) FROM schema_migrations WHERE name = ?", [.text(migration.name)])
                guard done == 0 else { return }
                for statement in migration.statements { try database.execute(statement) }
                // The time is bound, not asked of the database: one
                // statement for every dialect.
                try database.run(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    [.text(migration.name), .integer(currentTimeMillis() / 1000)])
            }
        }
    }
}
