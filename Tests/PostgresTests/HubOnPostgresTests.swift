import Foundation
import SyncStorePostgres
import SyncTestSupport
import Testing

@testable import HubCore
@testable import Reporting
@testable import SyncModel
@testable import SyncStore

/// The hub's own logic (merge, the feed, tokens, reports) on PostgreSQL:
/// the same input gives the same hub as on SQLite, byte for byte.
@Suite struct HubOnPostgresTests {
    static let october = Period(year: 2026, month: 10)

    @Test func theSamePushesMakeTheSameHubOnPostgresAndOnSQLite() async throws {
        try await onThread {
            try withPostgresDatabase { location in
                let directory = TemporaryDirectory()
                let sqlite = try HubService(path: directory.file("hub.sqlite"))
                let postgres = HubService(
                    store: try HubStore.open(location, schema: EntitySchema(), logger: quietLogger))
                defer {
                    sqlite.close()
                    postgres.close()
                }
                var tokens: [String: String] = [:]
                for hub in [sqlite, postgres] {
                    tokens["S01"] = try hub.addStation(id: "S01", name: "青禾社区卫生服务站")
                    _ = try hub.addStation(id: "S02", name: "东坪村卫生室")
                }
                // Two laptops of S01 edit one record's village concurrently (a
                // conflict), S02 enters tallies; ids and text in Chinese.
                let first = try makeStore(directory, "first.sqlite")
                let second = try makeStore(directory, "second.sqlite")
                let other = try makeStore(directory, "other.sqlite")
                var values = sampleRecord
                values[.name] = "王秀英"
                let record = try first.addRecord(station: "S01", values: values, clerk: "李")
                for index in 0..<30 {
                    values[.name] = "居民\(index)"
                    _ = try first.addRecord(station: "S01", values: values, clerk: "李")
                }
                try other.setTally(
                    TallyKey(station: "S02", period: Self.october, element: "LIVE_BIRTHS"), value: 4, clerk: "张")
                let pushes: [(String, ReplicaStore)] = [("S01", first), ("S02", other)]
                for (station, store) in pushes {
                    let body = PushRequest.encode(
                        node: store.nodeID, encodedStates: try store.changes(since: 0, limit: 1_000).map(\.bytes))
                    let answers = try [sqlite, postgres].map { try $0.push(station: station, body: body).accepted }
                    #expect(answers[0] == answers[1] && answers[0] > 0)
                }
                // The second laptop gets the record, then both change its village.
                let page = try PullPage.decode(
                    try sqlite.pull(station: "S01", node: second.nodeID, since: 0, limit: 100))
                for case .success(let state) in page.entities { _ = try second.merge(state, from: .hub) }
                try first.editRecord(id: record.id, set: [.village: "东坪村"], clerk: "李")
                try second.editRecord(id: record.id, set: [.village: "西坪村"], clerk: "王")
                for store in [first, second] {
                    let body = PushRequest.encode(
                        node: store.nodeID,
                        encodedStates: try store.pendingBatch(after: 0, limit: 100, maxBytes: 1 << 20).states)
                    for hub in [sqlite, postgres] { _ = try hub.push(station: "S01", body: body) }
                }

                #expect(try sqlite.store.contentFingerprint() == postgres.store.contentFingerprint())
                #expect(try postgres.replica.conflicts().count == 1)
                // The feed, page by page, is the same bytes.
                for since: Int64 in [0, 5, 31] {
                    #expect(
                        try sqlite.pull(station: "S01", node: "n-reader", since: since, limit: 7)
                            == postgres.pull(station: "S01", node: "n-reader", since: since, limit: 7))
                }
                // Tokens: found by hash, revoked at once.
                #expect(try postgres.authenticate(token: tokens["S01"]!) == "S01")
                try postgres.revokeStation(id: "S01")
                #expect(throws: HubFailure.self) { try postgres.authenticate(token: tokens["S01"]!) }
                try sqlite.revokeStation(id: "S01")
                // The month's report reads the same.
                let catalog = Catalog.builtIn
                let reports = try [sqlite, postgres].map {
                    try $0.report(period: ReportPeriod(month: Self.october), plan: nil, station: nil, catalog: catalog)
                        .table(includeEmpty: true)
                }
                #expect(reports[0] == reports[1])
            }
        }
    }

    @Test func aHubDatabaseIsMigratedOnceWhoeverOpensItFirst() async throws {
        try await onThread {
            try withPostgresDatabase { location in
                let first = try HubStore.open(location, schema: EntitySchema(), logger: quietLogger)
                let second = try HubStore.open(location, schema: EntitySchema(), logger: quietLogger)
                defer {
                    first.close()
                    second.close()
                }
                let applied = try second.database.rows("SELECT name FROM schema_migrations ORDER BY name") {
                    $0.text(0) ?? ""
                }
                #expect(applied == ["pg-v1-hub"])
                #expect(StoreFile.inspect(second.database) == .hub)
            }
        }
    }
}
