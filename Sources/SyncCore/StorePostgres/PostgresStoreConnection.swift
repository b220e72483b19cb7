import PostgresNIO
import SyncStore
import Synchronization

/// One connection to a hub's PostgreSQL database, with the same semantics
/// as SQLite's `Database`, so that the stores above run on either.
///
/// Blocking, like `Database`: every call waits for the server's answer on
/// the calling thread. Use it from a thread of its own (the hub's worker
/// queues), never from an event loop (NIO traps) nor from the cooperative
/// pool (two blocked calls would starve it). Not `Sendable`: one owner at a
/// time.
///
/// Each statement is one extended-protocol round trip (Parse/Bind/Execute,
/// unnamed), so there is no statement cache; the `?` to `$n` translation is
/// cached instead.
package final class PostgresStoreConnection: StoreConnection {
    package let dialect = SQLDialect.postgres
    /// Where it is connected, without the password in its description.
    package let location: PostgresLocation
    /// Rows inserted, updated or deleted by the last INSERT, UPDATE, DELETE
    /// or MERGE, whichever way it was run; other statements leave it, as
    /// `sqlite3_changes` does.
    package private(set) var changes = 0

    private let connection: PostgresConnection
    private let watch: ConnectionLossWatch
    private let logger: Logger
    private var closed = false
    private var transactionDepth = 0
    private var translations: [String: PostgresPlaceholders] = [:]

    /// The key of the write lock every write transaction takes, so that
    /// writers run one at a time across every hub process on the database,
    /// as SQLite's `BEGIN IMMEDIATE` makes them within one file. It keeps the
    /// feed gap-free (docs/postgres-plan.md §2c). Never change it: two hub
    /// versions sharing a database must take the same lock.
    package static let writeLockKey: Int64 = 0x6873_796E_6377_0001
    private static let takeWriteLock = "SELECT pg_advisory_xact_lock(\(writeLockKey))"
    private static let nextID = Atomic<Int>(0)

    /// Connects and logs in. `logger` receives postgres-nio's own events, at
    /// `info` or above only: below that it logs every message from the
    /// server, rows included, and health data never goes to a log.
    package init(location: PostgresLocation, session: PostgresSessionSettings = .hub, logger: Logger)
        throws(PostgresStoreError)
    {
        var logger = logger
        if logger.logLevel < .info { logger.logLevel = .info }
        self.logger = logger
        self.location = location
        // TLS is out of scope for now: plain TCP, for loopback or a network
        // the operator trusts (see PostgresLocation).
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.additionalStartupParameters = session.startupParameters
        let id = Self.nextID.add(1, ordering: .relaxed).newValue
        let connecting = PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: id, logger: logger)
        do {
            connection = try connecting.wait()
        } catch {
            throw .fromConnect(error, location: location)
        }
        watch = ConnectionLossWatch(closeFuture: connection.closeFuture)
    }

    deinit {
        close()
    }

    /// Closes the connection. Safe to call twice.
    package func close() {
        guard !closed else { return }
        closed = true
        translations.removeAll()
        if connection.eventLoop.inEventLoop {
            connection.close().whenComplete { _ in }
        } else {
            try? connection.close().wait()
        }
    }

    /// Whether the connection has broken (or been closed): a hub worker then
    /// drops it and connects again.
    package var isLost: Bool { closed || watch.isClosed || connection.isClosed }

    // MARK: - Running SQL

    /// Runs one statement without parameters. PostgreSQL takes one statement
    /// per call: migrations are lists of statements.
    package func execute(_ sql: String) throws(PostgresStoreError) {
        _ = try perform(sql, [])
    }

    /// Runs a statement that returns no rows.
    package func run(_ sql: String, _ values: [DatabaseValue]) throws(PostgresStoreError) {
        _ = try perform(sql, values)
    }

    /// Runs a query and hands each row to `row`. The whole answer is
    /// received before the first row is handed over (postgres-nio's
    /// future-based API collects it), so page large reads.
    package func forEach(_ sql: String, _ values: [DatabaseValue], _ row: (any StoreRow) throws -> Void) throws {
        for each in try perform(sql, values).rows {
            try row(PostgresStoreRow(each))
        }
    }

    /// The first row of a query, mapped, or nil. Unlike SQLite, which
    /// stops stepping, the server sends every row: a query that may match
    /// many says `LIMIT 1`.
    package func first<T>(_ sql: String, _ values: [DatabaseValue], _ map: (any StoreRow) throws -> T) throws -> T? {
        guard let row = try perform(sql, values).rows.first else { return nil }
        return try map(PostgresStoreRow(row))
    }

    /// Every row of a query, each column as a value of its PostgreSQL type.
    package func query(_ sql: String, _ values: [DatabaseValue] = []) throws(PostgresStoreError) -> [[DatabaseValue]] {
        try perform(sql, values).rows.map { row in
            let read = PostgresStoreRow(row)
            return (0..<Int32(read.row.count)).map(read.value)
        }
    }

    /// One round trip: the statement translated, its values bound, the
    /// answer waited for, or the connection's loss.
    private func perform(_ sql: String, _ values: [DatabaseValue]) throws(PostgresStoreError) -> PostgresQueryResult {
        guard !closed else { throw .closed }
        let statement = translation(of: sql)
        guard values.count <= statement.count else {
            throw .tooManyValues(sql: sql, parameters: statement.count, values: values.count)
        }
        var binds = PostgresBindings(capacity: statement.count)
        for value in values {
            switch value {
            case .null: binds.appendNull()
            case .integer(let integer): binds.append(integer)
            case .real(let real): binds.append(real)
            case .text(let text): binds.append(text)
            // bytea: a [UInt8] would bind as "char"[].
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
        // Parameters left without a value are NULL, as in SQLite.
        for _ in values.count..<statement.count { binds.appendNull() }

        guard !watch.isClosed, !connection.isClosed else {
            throw .connectionLost(reason: "the connection had closed", sql: sql)
        }
        // A query written to a channel that has closed is never answered:
        // postgres-nio's handler is gone, and its promise is dropped
        // unfulfilled (a hang in release builds, a trap in debug ones). On
        // the event loop nothing can close the channel between the check and
        // the write, so the query is written to a live handler or not at all.
        let connection = connection
        let query = PostgresQuery(unsafeSQL: statement.sql, binds: binds)
        let logger = logger
        let answer = connection.eventLoop.flatSubmit { () -> EventLoopFuture<PostgresQueryResult> in
            guard !connection.isClosed else {
                return connection.eventLoop.makeFailedFuture(ConnectionLossWatch.Lost())
            }
            return connection.query(query, logger: logger)
        }
        let result: PostgresQueryResult
        do {
            result = try watch.wait(answer)
        } catch {
            throw .from(error, sql: sql, connectionClosed: watch.isClosed || connection.isClosed)
        }
        switch result.metadata.command {
        case "INSERT", "UPDATE", "DELETE":
            changes = result.metadata.rows ?? 0
        case let command where command.hasPrefix("MERGE "):
            changes = Int(command.dropFirst("MERGE ".count)) ?? 0
        default:
            break
        }
        return result
    }

    private func translation(of sql: String) -> PostgresPlaceholders {
        if let cached = translations[sql] { return cached }
        let translated = PostgresPlaceholders(translating: sql)
        // The store's SQL is a fixed set of texts; a caller building SQL
        // with its values inside would grow this without end.
        if translations.count >= 1_000 { translations.removeAll(keepingCapacity: true) }
        translations[sql] = translated
        return translated
    }

    // MARK: - Transactions

    /// Runs `body` in one write transaction: committed if it returns, rolled
    /// back if it throws. Nested calls join the outer one.
    ///
    /// READ COMMITTED, then the write lock: the next writer's statements
    /// start after this one's commit is visible, so `max(seq)` read under the
    /// lock is never stale (under REPEATABLE READ the snapshot would be taken
    /// before the wait). Waits are bounded by `lock_timeout`.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute("BEGIN")
        transactionDepth = 1
        let result: T
        do {
            try execute(Self.takeWriteLock)
            result = try body()
        } catch {
            transactionDepth = 0
            rollbackQuietly()
            throw error
        }
        transactionDepth = 0
        try commit()
        return result
    }

    /// Runs `body` inside the current transaction so that, if it throws,
    /// what it wrote is undone and what came before stays. When that undo is
    /// impossible (the connection is lost, or the transaction ended inside
    /// `body`), `SavepointLost` is thrown: the caller must give up the whole
    /// transaction.
    ///
    /// On PostgreSQL this is also how a statement that fails is survived:
    /// after an error the whole transaction refuses every statement until it
    /// rolls back, to a savepoint or entirely.
    package func savepoint<T>(_ body: () throws -> T) throws -> T {
        precondition(transactionDepth > 0, "a savepoint is taken inside a transaction")
        try execute("SAVEPOINT part")
        do {
            let result = try body()
            try execute("RELEASE part")
            return result
        } catch {
            if case PostgresStoreError.connectionLost = error { throw SavepointLost(underlying: error) }
            do {
                try execute("ROLLBACK TO part")
                try execute("RELEASE part")
            } catch {
                throw SavepointLost(underlying: error)
            }
            throw error
        }
    }

    /// Runs `body` so that every query in it sees one snapshot: REPEATABLE
    /// READ, READ ONLY, taking no lock. Nested calls join the outer one.
    package func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 { return try body() }
        try execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        transactionDepth = 1
        defer { transactionDepth = 0 }
        let result: T
        do {
            result = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        // Nothing was written: a failed COMMIT loses nothing the caller read.
        _ = try? perform("COMMIT", [])
        return result
    }

    private func commit() throws(PostgresStoreError) {
        let answer: PostgresQueryResult
        do {
            answer = try perform("COMMIT", [])
        } catch {
            rollbackQuietly()
            throw error
        }
        // PostgreSQL answers COMMIT of a transaction in which a statement
        // failed (its error caught and ignored) with ROLLBACK, not an error:
        // nothing was written, and the caller must hear of it.
        if answer.metadata.command == "ROLLBACK" { throw .transactionRolledBack }
    }

    private func rollbackQuietly() {
        _ = try? perform("ROLLBACK", [])
    }
}

/// Settings sent when a connection starts, before any statement.
package struct PostgresSessionSettings: Sendable {
    /// Shown in `pg_stat_activity`, so an operator can tell hub connections
    /// apart (the restore drill checks that none is left).
    package var applicationName: String
    /// How long a statement waits for a lock, the write lock included,
    /// before failing with 55P03.
    package var lockTimeout: String
    /// Ends a session left inside a transaction this long, which frees the
    /// write lock held by a host that vanished without closing its socket.
    package var idleInTransactionTimeout: String

    /// The hub's settings (docs/postgres-plan.md §2b).
    package static let hub = PostgresSessionSettings(
        applicationName: "hub", lockTimeout: "30s", idleInTransactionTimeout: "60s")

    package init(applicationName: String, lockTimeout: String, idleInTransactionTimeout: String) {
        self.applicationName = applicationName
        self.lockTimeout = lockTimeout
        self.idleInTransactionTimeout = idleInTransactionTimeout
    }

    var startupParameters: [(String, String)] {
        [
            ("application_name", applicationName),
            ("lock_timeout", lockTimeout),
            ("idle_in_transaction_session_timeout", idleInTransactionTimeout),
            // SSDs and a hot cache: with the default 4 the planner chose the
            // seq primary key over the station index for a 100k-row pull and
            // filtered 19k rows a page (§2g).
            ("random_page_cost", "1.1"),
            // synchronous_commit stays as the server has it (on by default):
            // a push is answered only once its commit is durable.
        ]
    }
}
