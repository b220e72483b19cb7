import Foundation
import Logging
import SyncStorePostgres

@testable import SyncStore

/// The test cluster's database, from `HEALTH_SYNC_POSTGRES_URL`. Throws, so
/// the test fails, when the variable is unset: the PostgreSQL tests may not
/// be skipped by an environment that forgot to provide a server.
package func testLocation() throws -> PostgresLocation {
    let environment = ProcessInfo.processInfo.environment
    guard let url = environment["HEALTH_SYNC_POSTGRES_URL"], !url.isEmpty else {
        throw MissingTestCluster()
    }
    return try PostgresLocation(parsing: url, environment: environment)
}

public struct MissingTestCluster: Error, CustomStringConvertible {
    public var description: String {
        "HEALTH_SYNC_POSTGRES_URL is not set: run the PostgreSQL tests through scripts/postgres-test.sh, "
            + "which starts a throwaway cluster (scripts/postgres-test.sh swift test --filter PostgresTests)"
    }
}

/// Runs `body` with a new, empty database of the test cluster, dropped
/// afterwards (a hub's tables have fixed names: each test needs its own).
/// Blocks: call it from a thread of its own.
package func withPostgresDatabase<T>(_ body: (PostgresLocation) throws -> T) throws -> T {
    let base = try testLocation()
    let name = "hub_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let admin = try PostgresStoreConnection(
        location: base, logger: Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() })
    defer { admin.close() }
    try admin.execute("CREATE DATABASE \(name)")
    defer { try? admin.execute("DROP DATABASE \(name) WITH (FORCE)") }
    var location = base
    location.database = name
    return try body(location)
}

/// A new, empty database of the test cluster for an object that outlives a
/// scope (a test's hub); `drop` removes it. Blocks.
package func makePostgresDatabase() throws -> (location: PostgresLocation, drop: @Sendable () -> Void) {
    let base = try testLocation()
    let name = "hub_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let quiet = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }
    let admin = try PostgresStoreConnection(location: base, logger: quiet)
    defer { admin.close() }
    try admin.execute("CREATE DATABASE \(name)")
    var location = base
    location.database = name
    return (
        location,
        {
            guard let admin = try? PostgresStoreConnection(location: base, logger: quiet) else { return }
            try? admin.execute("DROP DATABASE \(name) WITH (FORCE)")
            admin.close()
        }
    )
}

/// The hub's two stores, for suites that run once on each.
package enum HubBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    package var description: String { rawValue }
}

/// A new, empty hub database of `backend`, as `--db` names it: a file in
/// `directory`, or a database of the test cluster; `drop` removes the
/// latter (a file goes with its directory). Blocks.
package func makeHubDatabase(_ backend: HubBackend, in directory: TemporaryDirectory) throws -> (
    db: String, drop: (@Sendable () -> Void)?
) {
    switch backend {
    case .sqlite:
        return (directory.file("hub.sqlite"), nil)
    case .postgres:
        let (location, drop) = try makePostgresDatabase()
        return (location.description, drop)
    }
}
