import Foundation
import Logging
import SyncStorePostgres
import Testing
@testable import HubCore
@testable import SyncClient
@testable import SyncModel
import SyncSupport
import SyncTestSupport

/// While the hub's PostgreSQL is away (restarting, failing over), requests
/// are answered 503 with Retry-After, a state the station retries within
/// its sync, not 500; once the database is back they are served, and the
/// hub reconnects by itself.
@Suite struct DatabaseOutageTests {
    /// Runs SQL on the test cluster's own database, as its owner.
    func admin(_ sql: String) throws {
        let connection = try PostgresStoreConnection(
            location: try testLocation(), logger: Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() })
        defer { connection.close() }
        try connection.execute(sql)
    }

    @Test func requestsWhileTheDatabaseIsAwayAre503AndServedOnceItIsBack() async throws {
        let hub = try RouterHub(backend: .postgres)
        let name = try PostgresLocation(parsing: hub.databasePath, environment: [:]).database
        let state = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S01")
        var written = state
        written.write(
            [.set("name", "王芳"), .set("sex", "F"), .set("birth", "1990-02-03")], node: "n1", time: 1, clerk: nil)
        let push = PushRequest.encode(node: "n1", encodedStates: [written.encodedJSON()])
        try await hub.test { client async throws in
            #expect(try await client.request("GET", "/v1/pull?since=0&node=n1", token: hub.tokens["S01"]).status == 200)
            // The database turns connections away, and drops the hub's.
            try admin("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
            try admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
            for _ in 0..<2 {
                let away = try await client.request("GET", "/v1/pull?since=0&node=n1", token: hub.tokens["S01"])
                #expect(away.status == 503, "\(SyncSession.errorMessage(away.body))")
                #expect(away.retryAfter == "2")
                #expect(SyncSession.errorMessage(away.body).contains("cannot be reached right now"))
                let pushed = try await client.request("POST", "/v1/push", token: hub.tokens["S01"], body: push)
                #expect(pushed.status == 503)
            }
            try admin("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
            let back = try await client.request("POST", "/v1/push", token: hub.tokens["S01"], body: push)
            #expect(back.status == 200, "\(SyncSession.errorMessage(back.body))")
            #expect(try await client.request("GET", "/v1/pull?since=0&node=n2", token: hub.tokens["S01"]).status == 200)
        }
        #expect(try hub.withStore { try $0.replica.entities(.record).count } == 1)
    }
}
