/// Where a hub's PostgreSQL database is: parsed from
/// `postgres://user[:password]@host[:port]/database[?pool=N]` (or
/// `postgresql://`), the form `--db` takes.
///
/// The password may instead come from `PGPASSWORD`, as with libpq's tools, so
/// that it stays out of the command line (`ps` shows every process's argv).
/// A password in the URL wins over the environment.
///
/// No TLS yet: the connection is plain TCP, for a database on the same host
/// (loopback) or across a network the operator trusts. `sslmode` and the like
/// are refused as unknown rather than silently ignored.
package struct PostgresLocation: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var user: String
    package var password: String?
    package var database: String
    /// How many connections the hub keeps (`?pool=N`, 1...64).
    package var pool: Int

    package static let defaultPort = 5432
    package static let defaultPool = 4
    package static let poolRange = 1...64

    package init(
        host: String, port: Int = defaultPort, user: String, password: String?, database: String,
        pool: Int = defaultPool
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.pool = pool
    }

    /// Whether `text` names a PostgreSQL database rather than a file path.
    package static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a connection URL; `environment` supplies `PGPASSWORD` when
    /// the URL has no password.
    package init(parsing url: String, environment: [String: String]) throws(PostgresLocationError) {
        var rest: Substring
        if url.hasPrefix("postgres://") {
            rest = url.dropFirst("postgres://".count)
        } else if url.hasPrefix("postgresql://") {
            rest = url.dropFirst("postgresql://".count)
        } else {
            throw .notPostgresURL
        }

        // The query string, then the path: neither may hold a raw `?` or `/`
        // that belongs to the part before.
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw .missingDatabase }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]
        guard !path.isEmpty else { throw .missingDatabase }
        guard !path.contains("/") else { throw .badDatabase(String(path)) }
        guard let database = Self.percentDecoded(path), !database.isEmpty else { throw .badDatabase(String(path)) }

        // The password may contain `@` only percent-encoded, so the last `@`
        // ends the user part.
        guard let at = authority.lastIndex(of: "@") else { throw .missingUser }
        let userInfo = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        let userPart: Substring
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            userPart = userInfo[..<colon]
            guard let decoded = Self.percentDecoded(userInfo[userInfo.index(after: colon)...]) else {
                throw .badPercentEncoding(part: "password")
            }
            password = decoded
        } else {
            userPart = userInfo
        }
        guard let user = Self.percentDecoded(userPart) else { throw .badPercentEncoding(part: "user name") }
        guard !user.isEmpty else { throw .missingUser }

        let (host, port) = try Self.hostAndPort(hostPort)

        var pool = Self.defaultPool
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            switch name {
            case "pool":
                guard let count = Int(value), Self.poolRange.contains(count) else { throw .badPool(value) }
                pool = count
            default:
                throw .unknownParameter(name)
            }
        }

        if password == nil, let fromEnvironment = environment["PGPASSWORD"] {
            password = fromEnvironment
        }
        self.init(host: host, port: port, user: user, password: password, database: database, pool: pool)
    }

    private static func hostAndPort(_ text: Substring) throws(PostgresLocationError) -> (String, Int) {
        let host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            // An IPv6 literal: [::1]:5432
            guard let close = text.firstIndex(of: "]") else { throw .badHost(String(text)) }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .badHost(String(text)) }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        guard !host.isEmpty else { throw .missingHost }
        var port = defaultPort
        if let portText {
            guard portText.allSatisfy(\.isASCII), let number = Int(portText), (1...65535).contains(number) else {
                throw .badPort(String(portText))
            }
            port = number
        }
        return (String(host), port)
    }

    /// `%XX` escapes decoded as UTF-8; nil for a malformed escape.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension PostgresLocation: CustomStringConvertible {
    /// The URL without its password, for messages and logs.
    package var description: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        let poolText = pool == Self.defaultPool ? "" : "?pool=\(pool)"
        return "postgres://\(user)@\(hostText):\(port)/\(database)\(poolText)"
    }
}

/// A `postgres://` URL that cannot be used, worded for the operator who
/// typed it. Never repeats the password.
package enum PostgresLocationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notPostgresURL
    case missingUser
    case missingHost
    case missingDatabase
    case badDatabase(String)
    case badHost(String)
    case badPort(String)
    case badPool(String)
    case unknownParameter(String)
    case badPercentEncoding(part: String)

    private static let form = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?pool=N]"

    package var description: String {
        switch self {
        case .notPostgresURL:
            "not a PostgreSQL URL: it must start with postgres:// or postgresql:// (\(Self.form))"
        case .missingUser:
            "the PostgreSQL URL names no user: write it as \(Self.form)"
        case .missingHost:
            "the PostgreSQL URL names no host: write it as \(Self.form)"
        case .missingDatabase:
            "the PostgreSQL URL names no database: add /DATABASE after the host (\(Self.form))"
        case .badDatabase(let name):
            "the PostgreSQL URL's database \"\(name)\" is not a database name: one name, no '/', '%' only as %XX"
        case .badHost(let host):
            "the PostgreSQL URL's host \"\(host)\" is malformed: an IPv6 address goes in brackets, [::1]:5432"
        case .badPort(let port):
            "the PostgreSQL URL's port \"\(port)\" is not a port: use a number from 1 to 65535 (5432 if left out)"
        case .badPool(let value):
            "pool=\(value) in the PostgreSQL URL is out of range: use a number of connections from "
                + "\(PostgresLocation.poolRange.lowerBound) to \(PostgresLocation.poolRange.upperBound) "
                + "(\(PostgresLocation.defaultPool) if left out)"
        case .unknownParameter(let name):
            "the PostgreSQL URL's parameter \"\(name)\" is unknown: only pool=N is understood (TLS is not supported yet)"
        case .badPercentEncoding(let part):
            "the PostgreSQL URL's \(part) has a '%' not followed by two hex digits: write '%' as %25"
        }
    }
}
