import Logging
import SyncModel
import SyncStore

extension HubStore {
    /// The hub's store in the PostgreSQL database at `location`, its tables
    /// made or brought up to date (`PostgresMigrations.hub`).
    package static func open(_ location: PostgresLocation, schema: EntitySchema, logger: Logger) throws -> HubStore {
        let connection = try PostgresStoreConnection(location: location, logger: logger)
        do {
            return try HubStore(connection: connection, schema: schema, migrations: PostgresMigrations.hub)
        } catch {
            connection.close()
            throw error
        }
    }
}
