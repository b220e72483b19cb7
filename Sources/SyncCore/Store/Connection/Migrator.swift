import SyncModel

/// Applies named migrations in order, each once, each in its own transaction,
/// recording what ran in `schema_migrations`.
package struct Migrator {
    package struct Migration {
        package let name: String
        package let sql: String
    }

    package private(set) var migrations: [Migration] = []

    package mutating func register(_ name: String, _ sql: String) {
        migrations.append(Migration(name: name, sql: sql))
    }

    package func migrate(_ database: any StoreConnection) throws {
        try database.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)"
        )
        let applied = Set(try database.rows("SELECT name FROM schema_migrations") { $0.text(0) ?? "" })
        for migration in migrations where !applied.contains(migration.name) {
            try database.transaction {
                // Another process may have run it while we waited for the lock.
                let done = try database.scalarInt(
                    "SELECT count(*) FROM schema_migrations WHERE name = ?", [.text(migration.name)])
                guard done == 0 else { return }
                try database.execute(migration.sql)
                // The time is bound, not asked of the database: one
                // statement for every dialect.
                try database.run(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    [.text(migration.name), .integer(currentTimeMillis() / 1000)])
            }
        }
    }
}
