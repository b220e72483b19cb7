import CSQLite
import SyncModel

/// A prepared statement. Owned by one `Database`; finalized when released.
final class Statement {
    let sql: String
    private(set) var handle: OpaquePointer?
    private unowned let database: Database

    init(database: Database, sql: String, persistent: Bool) throws(DatabaseError) {
        self.sql = sql
        self.database = database
        var handle: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(database.handle, sql, -1, flags, &handle, nil)
        guard code == SQLITE_OK, handle != nil else {
            sqlite3_finalize(handle)
            throw DatabaseError(code: code, connection: database.handle, sql: sql)
        }
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: - Binding

    /// SQLite copies text bound with SQLITE_TRANSIENT, so the Swift buffer
    /// need not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ values: [DatabaseValue]) throws(DatabaseError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one parameter at a time, in order, without an array of
    /// `DatabaseValue`s to build and tear down: for a row written thousands
    /// of times in a row (a merge's insert).
    struct Binder: ~Copyable {
        fileprivate let statement: Statement
        private var index: Int32 = 1

        fileprivate init(_ statement: Statement) { self.statement = statement }

        mutating func text(_ value: String) throws(DatabaseError) {
            try statement.bind(text: value, at: index)
            index += 1
        }

        mutating func text(_ value: String?) throws(DatabaseError) {
            if let value { try text(value) } else { try null() }
        }

        mutating func integer(_ value: Int64) throws(DatabaseError) {
            try statement.check(sqlite3_bind_int64(statement.handle, index, value))
            index += 1
        }

        mutating func blob(_ value: [UInt8]) throws(DatabaseError) {
            try statement.check(
                value.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(
                        statement.handle, index, buffer.baseAddress, Int32(buffer.count), Statement.transient)
                })
            index += 1
        }

        mutating func null() throws(DatabaseError) {
            try statement.check(sqlite3_bind_null(statement.handle, index))
            index += 1
        }
    }

    /// Clears the statement for `body` to bind its parameters in order.
    func bind(_ body: (inout Binder) throws(DatabaseError) -> Void) throws(DatabaseError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        var binder = Binder(self)
        try body(&binder)
    }

    private func bind(text string: String, at index: Int32) throws(DatabaseError) {
        var string = string
        try check(
            string.withUTF8 { buffer in
                sqlite3_bind_text(
                    handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                    Int32(buffer.count), Statement.transient)
            })
    }

    private func check(_ code: Int32) throws(DatabaseError) {
        guard code == SQLITE_OK else {
            throw DatabaseError(code: code, connection: database.handle, sql: sql)
        }
    }

    func bind(_ value: DatabaseValue, at index: Int32) throws(DatabaseError) {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let int):
            code = sqlite3_bind_int64(handle, index, int)
        case .real(let double):
            code = sqlite3_bind_double(handle, index, double)
        case .text(let string):
            var string = string
            code = string.withUTF8 { buffer in
                sqlite3_bind_text(
                    handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                    Int32(buffer.count), Statement.transient)
            }
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), Statement.transient)
            }
        }
        guard code == SQLITE_OK else {
            throw DatabaseError(code: code, connection: database.handle, sql: sql)
        }
    }

    // MARK: - Stepping

    /// Advances to the next row; false when the statement is done.
    func step() throws(DatabaseError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = DatabaseError(code: code, connection: database.handle, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Releases locks and bound text after use, so the cached statement does
    /// not keep a read transaction open.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: - Columns

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

extension Statement: StoreRow {}
