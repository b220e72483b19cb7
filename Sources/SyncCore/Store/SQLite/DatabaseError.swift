import CSQLite
import SyncModel

/// An error reported by SQLite: the result code, SQLite's message and the SQL
/// that was running. Bound values are never part of it: they may be a
/// resident's personal data.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The extended result code.
    public let code: Int32
    /// SQLite's own message.
    public let message: String
    /// The statement that failed, if any.
    public let sql: String?

    init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    init(code: Int32, connection: OpaquePointer?, sql: String? = nil) {
        let message =
            connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(code: code, message: message, sql: sql)
    }

    public var description: String {
        if let sql {
            return "SQLite error \(code): \(message) - while executing `\(sql)`"
        }
        return "SQLite error \(code): \(message)"
    }
}
