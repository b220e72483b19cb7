/// Which SQL a connection speaks, for the few statements that differ
/// (docs/postgres-plan.md §1 lists them).
package enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// One row of a query's answer, read by column number (from 0).
package protocol StoreRow {
    func int64(_ column: Int32) -> Int64
    /// Nil for NULL.
    func text(_ column: Int32) -> String?
    /// Empty for NULL.
    func blob(_ column: Int32) -> [UInt8]
    func isNull(_ column: Int32) -> Bool
}

/// A connection to the database a store keeps its tables in: the SQLite
/// file of a station or a district hub (`Database`), or the PostgreSQL
/// database of a provincial hub. The stores' logic (merge, the feed, the
/// hub's checks) is written once above it; only this layer differs.
///
/// Parameters are written `?` (or `?N`) in every dialect. A connection is
/// used by one thread at a time.
package protocol StoreConnection: AnyObject {
    var dialect: SQLDialect { get }

    /// Runs one statement without parameters or rows (SQLite also takes
    /// several separated by semicolons; PostgreSQL does not).
    func execute(_ sql: String) throws

    /// Runs a statement that returns no rows.
    func run(_ sql: String, _ values: [DatabaseValue]) throws

    /// Runs a query and hands each row to `row`; the row is valid only
    /// during the call.
    func forEach(_ sql: String, _ values: [DatabaseValue], _ row: (any StoreRow) throws -> Void) throws

    /// The first row of a query, mapped, or nil; the rest are not read.
    func first<T>(_ sql: String, _ values: [DatabaseValue], _ map: (any StoreRow) throws -> T) throws -> T?

    /// Rows changed by the last `run`.
    var changes: Int { get }

    /// Runs `body` in one write transaction: committed if it returns,
    /// rolled back if it throws. Writers wait for each other up front, so
    /// none fails half-way for another. Nested calls join the outer one.
    func transaction<T>(_ body: () throws -> T) throws -> T

    /// Runs `body` as a part of the current transaction that is undone
    /// alone if it throws; throws `SavepointLost` when that cannot be done.
    func savepoint<T>(_ body: () throws -> T) throws -> T

    /// Runs `body` so that every query in it sees one snapshot.
    func readTransaction<T>(_ body: () throws -> T) throws -> T

    /// Closes the connection. Safe to call twice.
    func close()

    /// The connection broke (a database server restarted, a network
    /// dropped) or was closed: nothing more can be done on it, and its
    /// owner should open another. An SQLite file's never breaks.
    var isLost: Bool { get }
}

extension StoreConnection {
    package func run(_ sql: String) throws { try run(sql, []) }

    package func forEach(_ sql: String, _ row: (any StoreRow) throws -> Void) throws { try forEach(sql, [], row) }

    package func first<T>(_ sql: String, _ map: (any StoreRow) throws -> T) throws -> T? { try first(sql, [], map) }

    /// Runs a query and maps every row.
    package func rows<T>(_ sql: String, _ values: [DatabaseValue] = [], _ map: (any StoreRow) throws -> T) throws -> [T]
    {
        var result: [T] = []
        try forEach(sql, values) { result.append(try map($0)) }
        return result
    }

    /// Shorthand: the first column of the first row as an integer.
    package func scalarInt(_ sql: String, _ values: [DatabaseValue] = []) throws -> Int64? {
        try first(sql, values) { $0.isNull(0) ? nil : $0.int64(0) } ?? nil
    }

    /// Shorthand: the first column of the first row as text.
    package func scalarText(_ sql: String, _ values: [DatabaseValue] = []) throws -> String? {
        try first(sql, values) { $0.text(0) } ?? nil
    }
}
