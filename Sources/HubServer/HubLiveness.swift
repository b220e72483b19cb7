import Foundation
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
final class HubLiveness: @unchecked Sendable {
    // @unchecked: `connection` and `closed` are only touched under `lock`.
    /// Taken while a process decides, so two starting together decide one
    /// after the other.
    static let startKey: Int64 = 0x6873_796E_6377_0002
    /// Held shared by every serving process.
    static let liveKey: Int64 = 0x6873_796E_6377_0003
    /// How often the lock's connection is looked at; a broken one is
    /// replaced within about this long of PostgreSQL accepting connections.
    static let watchInterval: Double = 0.2

    private let lock = NSLock()
    private var connection: PostgresStoreConnection
    private var closed = false
    private let location: PostgresLocation
    private let logger: Logger
    /// What serves: once it is gone (an in-process hub stopped), the lock is
    /// let go and the watch ends.
    private weak var owner: AnyObject?

    private init(connection: PostgresStoreConnection, location: PostgresLocation, logger: Logger) {
        self.connection = connection
        self.location = location
        self.logger = logger
    }

    /// Joins the serving processes of the database at `location`, starting
    /// an incarnation through `hub` when there are none; returns the epoch
    /// this process serves and what holds it alive.
    static func join(
        _ location: PostgresLocation, hub: HubService, owner: AnyObject, logger: Logger
    ) throws -> (epoch: String, liveness: HubLiveness) {
        let connection = try connect(location, logger: logger)
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
            try holdShared(connection)
            logger.info(
                "hub joined its database",
                metadata: ["start": .string(cold ? "cold" : "warm"), "epoch": .string(epoch)])
            let liveness = HubLiveness(connection: connection, location: location, logger: logger)
            liveness.owner = owner
            liveness.watch()
            return (epoch, liveness)
        } catch {
            connection.close()
            throw error
        }
    }

    private static func connect(_ location: PostgresLocation, logger: Logger) throws -> PostgresStoreConnection {
        var session = PostgresSessionSettings.hub
        session.applicationName = "hub-liveness"
        // It holds a lock for the life of the process and runs nothing:
        // idle, never idle in a transaction.
        return try PostgresStoreConnection(location: location, session: session, logger: logger)
    }

    /// Takes the shared "a hub is serving" lock, then lets the next starting
    /// process decide.
    private static func holdShared(_ connection: PostgresStoreConnection) throws {
        _ = try connection.scalarInt("SELECT 1 FROM pg_advisory_lock_shared(?)", [.integer(liveKey)])
        _ = try connection.scalarInt("SELECT pg_advisory_unlock(?)::int", [.integer(startKey)])
    }

    /// Keeps the lock held while the process serves. The lock goes with its
    /// connection: after PostgreSQL restarts (or drops the connection), a
    /// process that did not take it again would leave the database looking
    /// unserved, and the next process to start would begin a new
    /// incarnation under the ones still serving (nodes mid-sync then told
    /// they read a lost feed). A restart loses no committed data, so the
    /// process takes the lock again, warm, serving the incarnation it served.
    private func watch() {
        let thread = Thread { [self] in
            var failures = 0
            while true {
                Thread.sleep(forTimeInterval: Self.watchInterval * Double(min(1 << min(failures, 4), 16)))
                guard owner != nil else { return close() }
                let lost = lock.withLock { closed ? nil : self.connection.isLost }
                guard let lost else { return }
                guard lost else { continue }
                do {
                    let connection = try Self.connect(location, logger: logger)
                    do {
                        _ = try connection.scalarInt("SELECT 1 FROM pg_advisory_lock(?)", [.integer(Self.startKey)])
                        try Self.holdShared(connection)
                    } catch {
                        connection.close()
                        throw error
                    }
                    let kept = lock.withLock {
                        guard !closed else { return false }
                        self.connection.close()
                        self.connection = connection
                        return true
                    }
                    guard kept else {
                        connection.close()
                        return
                    }
                    failures = 0
                    logger.notice("hub took its place among the database's serving processes again")
                } catch {
                    // PostgreSQL is not back yet: try again, less often.
                    failures += 1
                }
            }
        }
        thread.name = "hub.liveness"
        thread.start()
    }

    func close() {
        lock.withLock {
            closed = true
            connection.close()
        }
    }
}
