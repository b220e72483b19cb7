import HubCore
import Logging
import SyncStore
import SyncStorePostgres

/// Whether a `hub serve` on PostgreSQL is the first process on its database
/// (a cold start) or joins processes already serving it (a warm start).
///
/// An incarnation marks where the feed stood when the hub's data could
/// have gone back in time (a restored backup). On one SQLite file every
/// server start is such a moment. With several processes on one PostgreSQL
/// database it is not: a second process joining would otherwise start an
/// incarnation while the first goes on serving, and every node that read
/// past that point would be told it read a lost feed (a needless full
/// resend, and a false alarm for the operator). So an incarnation is a
/// lifetime of the database's serving processes: the first to start makes
/// one, the others join it.
///
/// Held on a connection of its own for the life of the process: a shared
/// session lock that says "a hub is serving". Advisory locks are neither
/// dumped nor restored, and vanish with their connections, so a database
/// restored from pg_dump, or a cluster restarted, starts cold.
final class HubLiveness {
    /// Taken while a process decides, so two starting together decide one
    /// after the other.
    static let startKey: Int64 = 0x6873_796E_6377_0002
    /// Held shared by every serving process.
    static let liveKey: Int64 = 0x6873_796E_6377_0003

    private let connection: PostgresStoreConnection

    private init(connection: PostgresStoreConnection) {
        self.connection = connection
    }

    /// Joins the serving processes of the database at `location`, starting
    /// an incarnation through `hub` when there are none; returns the epoch
    /// this process serves and what holds it alive.
    static func join(
        _ location: PostgresLocation, hub: HubService, logger: Logger
    ) throws -> (epoch: String, liveness: HubLiveness) {
        var session = PostgresSessionSettings.hub
        session.applicationName = "hub-liveness"
        // It holds a lock for the life of the process and runs nothing:
        // idle, never idle in a transaction.
        let connection = try PostgresStoreConnection(location: location, session: session, logger: logger)
        do {
            _ = try connection.scalarInt("SELECT 1 FROM pg_advisory_lock(?)", [.integer(startKey)])
            let cold = try connection.scalarInt("SELECT pg_try_advisory_lock(?)::int", [.integer(liveKey)]) == 1
            let epoch: String
            if cold {
                epoch = try hub.startIncarnation()
                _ = try connection.scalarInt("SELECT pg_advisory_unlock(?)::int", [.integer(liveKey)])
            } else {
                epoch = try hub.currentIncarnation()
            }
            _ = try connection.scalarInt("SELECT 1 FROM pg_advisory_lock_shared(?)", [.integer(liveKey)])
            _ = try connection.scalarInt("SELECT pg_advisory_unlock(?)::int", [.integer(startKey)])
            logger.info(
                "hub joined its database",
                metadata: ["start": .string(cold ? "cold" : "warm"), "epoch": .string(epoch)])
            return (epoch, HubLiveness(connection: connection))
        } catch {
            connection.close()
            throw error
        }
    }

    func close() { connection.close() }
}
