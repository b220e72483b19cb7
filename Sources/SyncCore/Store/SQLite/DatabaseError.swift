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

    /// What kind of trouble, for a message a person can act on.
    public enum Problem: Sendable, Equatable {
        /// Another connection held the lock past the busy timeout.
        case busy
        case readOnly
        case diskFull
        case notADatabase
        case cannotOpen
        case corrupt
        case ioError
        case other
    }

    public var problem: Problem {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_READONLY: .readOnly
        case SQLITE_FULL: .diskFull
        case SQLITE_NOTADB: .notADatabase
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH: .cannotOpen
        case SQLITE_CORRUPT: .corrupt
        case SQLITE_IOERR: .ioError
        default: .other
        }
    }
}

/// A part of a transaction failed and could not be undone alone (SQLite had
/// rolled the whole transaction back, or the rollback to its savepoint
/// failed): nothing of the transaction may be committed.
public struct SavepointLost: Error, CustomStringConvertible, Sendable {
    /// What made the part fail.
    public let underlying: any Error

    /// Package access: the PostgreSQL connection throws it too.
    package init(underlying: any Error) { self.underlying = underlying }

    public var description: String { String(describing: underlying) }
}
