import Foundation
import HubCore
import Logging
import SyncModel
import SyncStore
import SyncStorePostgres

/// The hub database one bench run uses: a SQLite file in the run's workspace,
/// or, given a `postgres://` URL, a new database made beside the one the URL
/// names and dropped afterwards. Never the named database itself: a bench
/// pointed at a real hub's server must not write into that hub.
final class BenchHubDatabase {
    /// What `hub serve --db` is given.
    let argument: String
    /// The password, for the hub children's environment (never their argv).
    let password: String?
    private let postgres: PostgresLocation?
    private let server: PostgresLocation?

    static let quiet = Logger(label: "sync-bench") { _ in SwiftLogNoOpLogHandler() }

    init(url: String?, work: Workspace, name: String) throws {
        guard let url else {
            argument = work.file("\(name).sqlite")
            password = nil
            postgres = nil
            server = nil
            return
        }
        let server = try PostgresLocation(parsing: url, environment: ProcessInfo.processInfo.environment)
        var location = server
        location.database = "bench_\(name)_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let admin = try PostgresStoreConnection(location: server, logger: Self.quiet)
        defer { admin.close() }
        try admin.execute(
            "CREATE DATABASE \(location.database) TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
        argument = location.description
        password = location.password
        postgres = location
        self.server = server
    }

    var isPostgres: Bool { postgres != nil }

    /// A hub service on the database, migrated.
    func open() throws -> HubService {
        guard let postgres else { return try HubService(path: argument) }
        return HubService(store: try HubStore.open(postgres, schema: EntitySchema(), logger: Self.quiet))
    }

    /// A raw connection to a PostgreSQL database, for the bench's own SQL.
    func connection() throws -> PostgresStoreConnection? {
        guard let postgres else { return nil }
        return try PostgresStoreConnection(location: postgres, logger: Self.quiet)
    }

    /// The database's size on disk, in bytes: the file and its WAL, or what
    /// PostgreSQL counts for the database (tables, indexes, TOAST).
    func size() throws -> Int64 {
        guard let connection = try connection() else {
            return [argument, argument + "-wal"].reduce(0) { total, path in
                total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0)
            }
        }
        defer { connection.close() }
        return try connection.scalarInt("SELECT pg_database_size(current_database())") ?? 0
    }

    /// Drops a PostgreSQL bench database (a file goes with the workspace).
    func drop() {
        guard let postgres, let server,
            let admin = try? PostgresStoreConnection(location: server, logger: Self.quiet)
        else { return }
        try? admin.execute("DROP DATABASE \(postgres.database) WITH (FORCE)")
        admin.close()
    }
}

func megabytes(_ bytes: Int64) -> String { format(Double(bytes) / 1_048_576, 0) + " MB" }
