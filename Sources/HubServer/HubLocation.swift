import Foundation
import HubCore
import Logging
import SyncModel
import SyncStore
import SyncStorePostgres

/// Where `--db` points: the SQLite file of a district hub, or the
/// PostgreSQL database of a provincial one
/// (`postgres://USER@HOST:PORT/DATABASE`, the password from `PGPASSWORD`).
enum HubLocation: Sendable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresLocation)

    init(_ text: String) throws {
        if PostgresLocation.isPostgresURL(text) {
            self = .postgres(try PostgresLocation(parsing: text, environment: ProcessInfo.processInfo.environment))
        } else {
            self = .file(text)
        }
    }

    /// The path, or the URL without its password: for messages.
    var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let location): location.description
        }
    }

    var isFile: Bool {
        if case .file = self { return true }
        return false
    }

    /// Connections for pulls beside the one that writes: `?pool=N` counts
    /// both. A file has none (its pulls share the writer's queue).
    var readers: Int {
        switch self {
        case .file: 0
        case .postgres(let location): location.pool - 1
        }
    }

    /// What the database holds, found without changing it.
    func inspect() throws -> StoreFile {
        switch self {
        case .file(let path):
            return StoreFile.inspect(path: path)
        case .postgres(let location):
            let connection = try Self.connect(location)
            defer { connection.close() }
            return StoreFile.inspect(connection)
        }
    }

    /// One connection's worth of hub, its tables made or brought up to date.
    func open(schema: EntitySchema) throws -> HubService {
        switch self {
        case .file(let path):
            return try HubService(path: path, schema: schema)
        case .postgres(let location):
            return HubService(store: try HubStore.open(location, schema: schema, logger: Self.logger))
        }
    }

    private static func connect(_ location: PostgresLocation) throws -> PostgresStoreConnection {
        try PostgresStoreConnection(location: location, logger: logger)
    }

    /// postgres-nio's own log lines: warnings and worse only.
    private static let logger: Logger = {
        var logger = Logger(label: "hub.postgres")
        logger.logLevel = .warning
        return logger
    }()
}
