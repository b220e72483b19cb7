import Foundation
import Logging
import SyncStorePostgres
import Testing

@testable import HubCore
@testable import SyncModel
@testable import SyncStore
import SyncTestSupport

/// Issue #16's "done when": two `hub serve` processes on one PostgreSQL
/// database, laptops of two stations syncing through one hub and then the
/// other; all converge, no node is told it read a lost feed, and the
/// month's report is the one a SQLite hub gives for the same input.
@Suite(.serialized) struct TwoHubsOnPostgresTests {
    let directory = TemporaryDirectory()

    func hub(_ arguments: String..., db: String) throws -> CommandResult {
        try CommandRunner.run("hub", arguments + ["--db", db])
    }

    func records(_ node: StationNode) throws -> [String: [String: String]] {
        let list = try #require(try jsonObject(node.run("record", "list", "--json").stdout) as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: list.map { ($0["id"] as! String, $0.compactMapValues { $0 as? String }) })
    }

    func hubRecords(_ db: String) throws -> [String: [String: String]] {
        let list = try #require(
            try jsonObject(hub("records", "list", "--json", db: db).stdout) as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: list.map { ($0["id"] as! String, $0.compactMapValues { $0 as? String }) })
    }

    /// `hub status`: how many incarnations, how many trips back in time.
    func status(_ db: String) throws -> (starts: Int, rollbacks: Int) {
        let result = try hub("status", "--json", db: db)
        let json = try #require(try jsonObject(result.stdout) as? [String: Any], "\(result.stderr)")
        return (json["starts"] as? Int ?? -1, (json["rollbacks"] as? [Any])?.count ?? -1)
    }

    func sync(_ node: StationNode, through hub: HubProcess) throws {
        let result = try node.run("sync", "--hub", hub.url)
        #expect(result.status == 0, "\(node.db) via \(hub.url): \(result.stdout) \(result.stderr)")
        // Two processes serving one database are one hub: nobody read a lost feed.
        #expect(!result.stdout.contains("gone back in time"), "\(result.stdout)")
    }

    @Test func laptopsSyncingThroughTwoHubsOnOneDatabaseConvergeAndReportAsSQLiteDoes() async throws {
        try await runBlocking {
            try withPostgresDatabase { location in try scenario(url: location.description, location: location) }
        }
    }

    @Test func aHubKilledMidSyncLosesAndDoublesNothingAndTheOtherHubFinishesTheSync() async throws {
        try await runBlocking {
            try withPostgresDatabase { location in try killedHub(url: location.description) }
        }
    }

    /// One of two hub processes is killed (SIGKILL) while a laptop pushes
    /// 3,000 records through it; the laptop syncs again through the other.
    private func killedHub(url: String) throws {
        let added = try hub("station", "add", "S01", "--name", "青禾", db: url)
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let hubs = try HubProcess.started(2, databasePath: url)
        defer { for hub in hubs { hub.stop() } }
        let (first, second) = (hubs[0], hubs[1])
        let node = try laptopWithResidents(
            3_000, db: directory.file("killed.sqlite"), station: "S01", hub: first.url, token: token,
            csv: directory.file("residents.csv"))
        let sync = try startStationSync(node)
        // Wait until the hub has taken some of it, then kill it mid-way.
        let deadline = Date().addingTimeInterval(30)
        while try hubRecords(url).isEmpty, Date() < deadline { usleep(20_000) }
        first.kill()
        // The laptop would go on retrying the dead hub for a minute (the
        // outage budget); it is shut instead, and syncs through the other.
        // (SIGKILL: a test thread's blocked signals are inherited by the
        // child, so SIGTERM would wait out that minute.)
        usleep(200_000)
        kill(sync.processIdentifier, SIGKILL)
        sync.waitUntilExit()

        try self.sync(node, through: second)
        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        #expect(status["pending"] as? Int == 0)
        let atHub = try hubRecords(url)
        #expect(atHub.count == 3_000)
        #expect(Set(atHub.compactMap { $0.value["name"] }).count == 3_000)
        // The feed holds each record once: a pull from the start brings 3,000.
        let other = StationNode(db: directory.file("other.sqlite"))
        #expect(
            try other.run("init", "--station", "S01", "--name", "青禾", "--hub", second.url, "--token", token).status == 0
        )
        try self.sync(other, through: second)
        #expect(try records(other).count == 3_000)
    }

    private func scenario(url: String, location: PostgresLocation) throws {
        // The operator makes the hub in the empty database, as with a file.
        var tokens: [String: String] = [:]
        for (station, name) in [("S01", "青禾社区卫生服务站"), ("S02", "东坪村卫生室")] {
            let added = try hub("station", "add", station, "--name", name, db: url)
            #expect(added.status == 0, "\(added.stderr)")
            tokens[station] = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let hubs = try HubProcess.started(2, databasePath: url)
        defer { for hub in hubs { hub.stop() } }
        let (first, second) = (hubs[0], hubs[1])
        // The second process joined the first: one incarnation, not two.
        #expect(try status(url).starts == 1)
        // Two laptops of S01, one of S02; each starts on its own hub.
        let laptops = [
            ("a.sqlite", "S01", first), ("b.sqlite", "S01", second), ("c.sqlite", "S02", second),
        ].map { file, station, hub -> (StationNode, HubProcess) in
            (StationNode(db: directory.file(file)), hub)
        }
        for ((node, hub), station) in zip(laptops, ["S01", "S01", "S02"]) {
            let made = try node.run(
                "init", "--station", station, "--name", station, "--hub", hub.url, "--token", tokens[station]!)
            #expect(made.status == 0, "\(made.stderr)")
        }
        for round in 0..<3 {
            for (index, (node, _)) in laptops.enumerated() {
                for number in 0..<4 {
                    let added = try node.run(
                        "record", "add", "--name", "居民\(index)-\(round)-\(number)", "--sex", "F", "--birth",
                        "1980-01-0\(number + 1)", "--village", "青禾村")
                    #expect(added.status == 0, "\(added.stderr)")
                }
                // Each laptop its own figure: two laptops setting one figure is a conflict.
                let element = ["LIVE_BIRTHS", "DELIVERIES", "LIVE_BIRTHS"][index]
                let tally = try node.run("tally", "set", element, "2026-10", "\(index + round + 1)")
                #expect(tally.status == 0, "\(tally.stdout) \(tally.stderr)")
                // Alternately through one hub and the other.
                try sync(node, through: hubs[(index + round) % 2])
            }
        }
        // One more turn each, the other way round, so that everyone has everything.
        for (index, (node, _)) in laptops.enumerated() { try sync(node, through: hubs[(index + 1) % 2]) }
        for (index, (node, _)) in laptops.enumerated() { try sync(node, through: hubs[index % 2]) }

        let atHub = try hubRecords(url)
        #expect(atHub.count == 3 * 3 * 4)
        let s01 = atHub.filter { $0.value["station"] == "S01" || $0.value["station"] == nil }
        for (index, (node, _)) in laptops.enumerated() {
            let held = try records(node)
            let expected = index < 2 ? s01.count : atHub.count - s01.count
            #expect(held.count == expected, "\(node.db) holds \(held.count), expected \(expected)")
            for (id, record) in held { #expect(atHub[id]?["name"] == record["name"]) }
        }
        // PostgreSQL drops every hub connection (a restart, a failover): the
        // requests that hit a broken connection fail, the stations retry,
        // the hubs open new connections, and nothing is lost.
        let admin = try PostgresStoreConnection(
            location: location, logger: Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() })
        let dropped = try admin.scalarInt(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE application_name = 'hub' AND datname = current_database() AND pid <> pg_backend_pid()
            """)
        admin.close()
        #expect((dropped ?? 0) >= 4)
        let late = try laptops[0].0.run(
            "record", "add", "--name", "断线后", "--sex", "M", "--birth", "1970-05-05", "--village", "青禾村")
        #expect(late.status == 0)
        try sync(laptops[0].0, through: first)
        try sync(laptops[1].0, through: second)
        #expect(try records(laptops[1].0).values.contains { $0["name"] == "断线后" })
        // No process start looked like a restore to anyone.
        #expect(try status(url).rollbacks == 0)
        // A process restarted while the other serves joins it; once every
        // process has stopped, the next start is a new incarnation (the
        // database may have been restored meanwhile).
        first.stop()
        try first.start()
        #expect(try status(url).starts == 1)
        first.stop()
        second.stop()
        try first.start()
        #expect(try status(url).starts == 2)
        try sync(laptops[0].0, through: first)

        // The same input on a SQLite hub: every laptop's states, pushed in one go.
        let sqlitePath = directory.file("same.sqlite")
        let sqlite = try HubService(path: sqlitePath)
        _ = try sqlite.addStation(id: "S01", name: "青禾社区卫生服务站")
        _ = try sqlite.addStation(id: "S02", name: "东坪村卫生室")
        for ((node, _), station) in zip(laptops, ["S01", "S01", "S02"]) {
            let store = try ReplicaStore(path: node.db)
            let states = try store.changes(since: 0, limit: 10_000).map(\.bytes)
            _ = try sqlite.push(station: station, body: PushRequest.encode(node: store.nodeID, encodedStates: states))
            store.close()
        }
        sqlite.close()
        let reports = try [url, sqlitePath].map { db in
            let report = try hub("report", "--period", "2026-10", "--format", "json", db: db)
            #expect(report.status == 0, "\(report.stderr)")
            return report.stdout
        }
        #expect(!reports[0].isEmpty && reports[0] == reports[1])
    }
}
