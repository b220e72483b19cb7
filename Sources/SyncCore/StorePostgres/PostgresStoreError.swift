import PostgresNIO

/// What went wrong talking to PostgreSQL, worded for the operator who has to
/// act on it.
///
/// Bound values are never part of it (they may be a resident's health data),
/// nor is the server's DETAIL line, which quotes the values of a violated key.
/// The server's one-line message is kept: for the errors the store's typed
/// parameters can cause it names types, columns and constraints, not values.
package enum PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The server could not be reached, or turned the connection away before
    /// the user was checked (no such database, too many connections).
    case cannotConnect(endpoint: String, reason: String)
    /// The server refused the user or the password.
    case authenticationFailed(endpoint: String, user: String, reason: String)
    /// The connection broke while in use (the server restarted, the backend
    /// was terminated, the network dropped); what the current transaction
    /// wrote is gone. Safe to retry on a new connection.
    case connectionLost(reason: String, sql: String?)
    /// `close()` was called before.
    case closed
    /// A constraint refused the write (SQLSTATE class 23): bad input, not a
    /// broken server.
    case constraintViolation(PostgresServerError)
    /// The server refused a value (SQLSTATE class 22), e.g. a NUL character in
    /// text (22021), which SQLite stores and PostgreSQL does not.
    case invalidData(PostgresServerError)
    /// Any other error the server reported.
    case server(PostgresServerError)
    /// COMMIT found the transaction already failed: a statement in it had an
    /// error that was caught, and PostgreSQL rolled everything back.
    case transactionRolledBack
    /// The statement has more values than parameters: a bug in the caller.
    case tooManyValues(sql: String, parameters: Int, values: Int)

    package var description: String {
        switch self {
        case .cannotConnect(let endpoint, let reason):
            "cannot connect to PostgreSQL at \(endpoint): \(reason)"
        case .authenticationFailed(let endpoint, let user, let reason):
            "PostgreSQL at \(endpoint) refused user \"\(user)\": \(reason) "
                + "(check the user and the password in the URL or PGPASSWORD, and pg_hba.conf)"
        case .connectionLost(let reason, let sql):
            "the connection to PostgreSQL was lost (\(reason))"
                + (sql.map { " while executing `\($0)`" } ?? "")
                + "; the transaction in progress was rolled back, and retrying is safe"
        case .closed:
            "the PostgreSQL connection was already closed"
        case .constraintViolation(let error), .invalidData(let error), .server(let error):
            error.description
        case .transactionRolledBack:
            "PostgreSQL rolled the transaction back at COMMIT: a statement in it had failed, so nothing was written"
        case .tooManyValues(let sql, let parameters, let values):
            "\(values) values for \(parameters) parameters - while executing `\(sql)`"
        }
    }

    /// The database is away for now (unreachable, restarting, shutting
    /// down, the connection broken), not refusing the request: the same
    /// request may succeed in a moment. SQLSTATE classes 08 (connection
    /// exception) and 57 (operator intervention: 57P01 shutting down, 57P03
    /// starting up).
    package var isOutage: Bool {
        switch self {
        case .cannotConnect, .connectionLost, .closed: true
        case .server(let error): error.sqlStateClass == "08" || error.sqlStateClass == "57"
        default: false
        }
    }

    /// The server's SQLSTATE, when the server reported the error.
    package var sqlState: String? {
        switch self {
        case .constraintViolation(let error), .invalidData(let error), .server(let error): error.sqlState
        default: nil
        }
    }
}

/// An error the server reported for a statement: its SQLSTATE, its one-line
/// message, the names it gave, and our SQL. Never values.
package struct PostgresServerError: Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE, e.g. "23505" (unique_violation).
    package let sqlState: String
    package let message: String
    package let table: String?
    package let column: String?
    package let constraint: String?
    package let sql: String?

    /// The SQLSTATE's class, its first two characters ("23" for constraints).
    package var sqlStateClass: Substring { sqlState.prefix(2) }

    package var description: String {
        var text = "PostgreSQL error \(sqlState): \(message)"
        var names: [String] = []
        if let table { names.append("table \(table)") }
        if let column { names.append("column \(column)") }
        if let constraint { names.append("constraint \(constraint)") }
        if !names.isEmpty { text += " (\(names.joined(separator: ", ")))" }
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }
}

extension PostgresStoreError {
    /// One path from whatever postgres-nio threw during a statement to our
    /// error. `connectionClosed` says whether the connection has closed since.
    static func from(_ error: any Error, sql: String?, connectionClosed: Bool) -> PostgresStoreError {
        if let error = error as? PostgresStoreError { return error }
        if error is ConnectionLossWatch.Lost { return .connectionLost(reason: "the connection closed", sql: sql) }
        guard let psql = error as? PSQLError else {
            return connectionClosed
                ? .connectionLost(reason: String(describing: error), sql: sql)
                : .server(
                    PostgresServerError(
                        sqlState: "XX000", message: String(describing: type(of: error)), table: nil, column: nil,
                        constraint: nil, sql: sql))
        }
        switch psql.code {
        case .server:
            let server = PostgresServerError(psql, sql: sql)
            let severity = psql.serverInfo?[.severity]
            // FATAL ends the session (57P01: terminated by an administrator;
            // 25P03: idle in a transaction too long); class 08 is the
            // connection's own failure.
            if severity == "FATAL" || severity == "PANIC" || server.sqlStateClass == "08"
                || (server.sqlStateClass == "57" && server.sqlState != "57014")
            {
                return .connectionLost(reason: "\(server.sqlState): \(server.message)", sql: sql)
            }
            switch server.sqlStateClass {
            case "23": return .constraintViolation(server)
            case "22": return .invalidData(server)
            default: return .server(server)
            }
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
            return .connectionLost(reason: Self.reason(psql), sql: sql)
        default:
            if connectionClosed { return .connectionLost(reason: Self.reason(psql), sql: sql) }
            return .server(
                PostgresServerError(
                    sqlState: "XX000", message: "client error \(psql.code)", table: nil, column: nil, constraint: nil,
                    sql: sql))
        }
    }

    /// What postgres-nio threw while connecting, as cannot-connect or
    /// authentication.
    static func fromConnect(_ error: any Error, location: PostgresLocation) -> PostgresStoreError {
        let endpoint = "\(location.host):\(location.port)"
        guard let psql = error as? PSQLError else {
            return .cannotConnect(endpoint: endpoint, reason: String(describing: error))
        }
        switch psql.code {
        case .server:
            let sqlState = psql.serverInfo?[.sqlState] ?? "XX000"
            let message = psql.serverInfo?[.message] ?? "no message"
            // Class 28: invalid authorization (28P01: wrong password).
            if sqlState.hasPrefix("28") {
                return .authenticationFailed(endpoint: endpoint, user: location.user, reason: "\(sqlState): \(message)")
            }
            return .cannotConnect(endpoint: endpoint, reason: "\(sqlState): \(message)")
        case .authMechanismRequiresPassword:
            return .authenticationFailed(
                endpoint: endpoint, user: location.user,
                reason: "the server asks for a password and none was given")
        case .unsupportedAuthMechanism, .saslError:
            return .authenticationFailed(endpoint: endpoint, user: location.user, reason: Self.reason(psql))
        default:
            return .cannotConnect(endpoint: endpoint, reason: Self.reason(psql))
        }
    }

    /// A short reason from a client-side error: its code and the underlying
    /// I/O error (connection refused, reset), which carry no data.
    private static func reason(_ error: PSQLError) -> String {
        if let underlying = error.underlying {
            return "\(error.code): \(underlying)"
        }
        return "\(error.code)"
    }
}

extension PostgresServerError {
    init(_ error: PSQLError, sql: String?) {
        let info = error.serverInfo
        self.init(
            sqlState: info?[.sqlState] ?? "XX000", message: info?[.message] ?? "no message",
            table: info?[.tableName], column: info?[.columnName], constraint: info?[.constraintName], sql: sql)
    }
}
