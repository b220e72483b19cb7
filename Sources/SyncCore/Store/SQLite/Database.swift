import CSQLite
import SyncModel

/// How much to trust the disk: `full` survives power loss in WAL mode,
/// `normal` survives a crashed process only.
public enum Durability: String, Sendable {
    case full = "FULL"
    case normal = "NORMAL"
}

/// One connection to an SQLite file.
///
/// Not `Sendable`: a connection is used by one owner at a time (a CLI
/// command, or the hub's serial database queue). Statements are prepared once
/// and cached by SQL.
final class Database: StoreConnection {
    /// The raw connection handle; nil once closed.
    private(set) var handle: OpaquePointer?
    let path: String
    private var cache: [String: Statement] = [:]
    /// The statements used last, most recent first: a merge runs the same
    /// few again and again, and comparing their SQL with these is free
    /// when it is the same `String` (a literal or a `static let`), where
    /// looking it up in `cache` hashed its whole text every time.
    private var recent: [Statement] = []
    private var transactionDepth = 0
    let dialect = SQLDialect.sqlite
    var isLost: Bool { false }

    /// Opens (creating if needed) the database at `path` in WAL mode.
    /// `readOnly` opens an existing file to look at it, changing nothing.
    init(path: String, durability: Durability = .full, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 10_000)
        throws(DatabaseError)
    {
        Self.configureLibrary
        self.path = path
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK else {
            let error = DatabaseError(code: code, connection: handle)
            // A connection that failed to open still has to be closed.
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        if readOnly { return }
        do {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=\(durability.rawValue)")
            try execute("PRAGMA foreign_keys=ON")
            // 32 MB of page cache (default 2 MB): the (kind, id) index of
            // 100,000 records outgrows 2 MB, and every lookup then reads pages
            // back from the OS.
            try execute("PRAGMA cache_size=-32768")
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Process-wide settings, applied once before the first connection opens.
    /// Memory statistics are off: we never read them, and keeping them took
    /// a global mutex on every SQLite allocation.
    private static let configureLibrary: Void = {
        _ = sqlite_shim_disable_memstatus()
    }()

    /// Finalizes every statement and closes the connection. Safe to call twice.
    func close() {
        recent.removeAll()
        cache.removeAll()
        if let handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    // MARK: - Running SQL

    /// Runs one or more statements that take no parameters.
    func execute(_ sql: String) throws(DatabaseError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw DatabaseError(code: code, message: text, sql: sql)
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ sql: String, _ values: [DatabaseValue] = []) throws(DatabaseError) {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        while try statement.step() {}
    }

    /// Runs a statement that returns no rows, its parameters bound by `bind` in order.
    func run(_ sql: String, binding bind: (inout Statement.Binder) throws(DatabaseError) -> Void)
        throws(DatabaseError)
    {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(bind)
        while try statement.step() {}
    }

    /// Runs a query and hands each row to `row`.
    func forEach(_ sql: String, _ values: [DatabaseValue] = [], _ row: (any StoreRow) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        while try statement.step() {
            try row(statement)
        }
    }

    /// The first row of a query, mapped, or nil.
    func first<T>(_ sql: String, _ values: [DatabaseValue] = [], _ map: (any StoreRow) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        return try statement.step() ? try map(statement) : nil
    }

    /// Every row of a query, each column as a value: for the benchmark's
    /// raw-ingest floor, which copies rows; other queries map rows directly.
    func query(_ sql: String, _ values: [DatabaseValue] = []) throws -> [[DatabaseValue]] {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        var rows: [[DatabaseValue]] = []
        while try statement.step() {
            let row = statement
            rows.append(
                (0..<sqlite3_column_count(row.handle)).map { column -> DatabaseValue in
                    switch sqlite3_column_type(row.handle, column) {
                    case SQLITE_INTEGER: return .integer(row.int64(column))
                    case SQLITE_FLOAT: return .real(sqlite3_column_double(row.handle, column))
                    case SQLITE_TEXT: return .text(row.text(column) ?? "")
                    case SQLITE_BLOB: return .blob(row.blob(column))
                    default: return .null
                    }
                })
        }
        return rows
    }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    func cachedStatement(_ sql: String) throws(DatabaseError) -> Statement {
        if let last = recent.first, last.sql == sql { return last }
        if let index = recent.firstIndex(where: { $0.sql == sql }) {
            let statement = recent.remove(at: index)
            recent.insert(statement, at: 0)
            return statement
        }
        let statement: Statement
        if let cached = cache[sql] {
            statement = cached
        } else {
            statement = try Statement(database: self, sql: sql, persistent: true)
            cache[sql] = statement
        }
        recent.insert(statement, at: 0)
        if recent.count > 4 { recent.removeLast() }
        return statement
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction: committed if it returns, rolled back if
    /// it throws. `BEGIN IMMEDIATE` takes the write lock up front so two
    /// writers wait for each other instead of failing mid-way. Nested calls
    /// join the outer transaction.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        let result: T
        do {
            result = try body()
        } catch {
            transactionDepth = 0
            try? execute("ROLLBACK")
            throw error
        }
        transactionDepth = 0
        do {
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        return result
    }

    /// Runs `body` inside the current transaction so that, if it throws,
    /// what it wrote is undone and what came before stays. When that undo
    /// is impossible, `SavepointLost` is thrown instead: the caller must
    /// give up the whole transaction.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        precondition(transactionDepth > 0, "a savepoint is taken inside a transaction")
        try execute("SAVEPOINT part")
        do {
            let result = try body()
            try execute("RELEASE part")
            return result
        } catch {
            // On some errors (a full disk, I/O, out of memory) SQLite rolls
            // the whole transaction back itself: there is then no savepoint
            // to return to, and whatever ran next would run outside any
            // transaction, each statement committed on its own.
            guard sqlite3_get_autocommit(handle) == 0 else { throw SavepointLost(underlying: error) }
            do {
                try execute("ROLLBACK TO part")
                try execute("RELEASE part")
            } catch {
                throw SavepointLost(underlying: error)
            }
            throw error
        }
    }

    /// Runs `body` in a read transaction so every query sees one snapshot.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 { return try body() }
        try execute("BEGIN DEFERRED")
        transactionDepth = 1
        defer {
            transactionDepth = 0
            try? execute("COMMIT")
        }
        return try body()
    }
}
