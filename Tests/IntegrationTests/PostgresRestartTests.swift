import Foundation
import Logging
import SyncStorePostgres
import Testing

import SyncTestSupport

/// Issue #16's faults: PostgreSQL restarted (`pg_ctl restart`) while a
/// laptop pushes through one of two hub processes. On a cluster of the
/// test's own: a restart of the shared one would break every other test.
@Suite(.serialized) struct PostgresRestartTests {
    let directory = TemporaryDirectory()

    func hub(_ arguments: String..., db: String) throws -> CommandResult {
        try CommandRunner.run("hub", arguments + ["--db", db])
    }

    func hubRecordCount(_ db: String) throws -> Int {
        (try jsonObject(hub("records", "list", "--json", db: db).stdout) as? [Any])?.count ?? 0
    }

    /// `hub status`: how many incarnations, how many trips back in time.
    func status(_ db: String) throws -> (starts: Int, rollbacks: Int) {
        let result = try hub("status", "--json", db: db)
        let json = try #require(try jsonObject(result.stdout) as? [String: Any], "\(result.stderr)")
        return (json["starts"] as? Int ?? -1, (json["rollbacks"] as? [Any])?.count ?? -1)
    }

    /// One answer from the database, on a connection of its own; -1 when it cannot be asked.
    func count(_ location: PostgresLocation, _ sql: String) -> Int {
        guard
            let admin = try? PostgresStoreConnection(
                location: location, logger: Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() })
        else { return -1 }
        defer { admin.close() }
        return Int((try? admin.scalarInt(sql)) ?? -1)
    }

    /// Hub processes holding their place among the database's servers.
    func livenessHolders(_ location: PostgresLocation) -> Int {
        count(
            location,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hub-liveness' AND datname = current_database()"
        )
    }

    @Test func aPostgresRestartMidSyncLosesAndDoublesNothingAndTheHubsStayOneIncarnation() async throws {
        try await runBlocking {
            let cluster = try PrivatePostgresCluster()
            defer { cluster.stop() }
            try restartMidSync(cluster)
        }
    }

    private func restartMidSync(_ cluster: PrivatePostgresCluster) throws {
        let url = cluster.location.description
        let added = try hub("station", "add", "S01", "--name", "青禾", db: url)
        #expect(added.status == 0, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let hubs = try HubProcess.started(2, databasePath: url)
        defer { for hub in hubs { hub.stop() } }
        let (first, second) = (hubs[0], hubs[1])
        var third: HubProcess?
        defer { third?.stop() }
        #expect(try status(url).starts == 1)

        let node = try laptopWithResidents(
            3_000, db: directory.file("laptop.sqlite"), station: "S01", hub: first.url, token: token,
            csv: directory.file("residents.csv"))
        let output = Pipe()
        let sync = try startStationSync(node, output: output)
        // Once the hub has taken some of it, PostgreSQL restarts under it.
        let deadline = Date().addingTimeInterval(30)
        var stored = 0
        while stored <= 0, Date() < deadline {
            usleep(5_000)
            stored = count(cluster.location, "SELECT count(*) FROM entities")
        }
        try cluster.restart()
        #expect(stored > 0 && stored < 3_000, "the restart must come in the middle of the push: \(stored) stored")
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sync.waitUntilExit()
        // The hubs answered "retry" while their database was away; the
        // laptop retried and finished in the same sync.
        #expect(
            sync.terminationStatus == 0, "\(said)\nhub 1 said: \(first.errorLog)\nhub 2 said: \(second.errorLog)")
        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        #expect(status["pending"] as? Int == 0)
        #expect(try hubRecordCount(url) == 3_000)
        // Each record once in the feed: a new laptop pulls exactly 3,000, through the other hub.
        let other = StationNode(db: directory.file("other.sqlite"))
        #expect(
            try other.run("init", "--station", "S01", "--name", "青禾", "--hub", second.url, "--token", token).status == 0
        )
        let pulled = try other.run("sync")
        #expect(pulled.status == 0, "\(pulled.stdout) \(pulled.stderr)")
        #expect((try jsonObject(other.run("record", "list", "--json").stdout) as? [Any])?.count == 3_000)

        // Both processes took their place among the database's servers
        // again, so a process starting now joins them: still one
        // incarnation, and nobody was told the hub went back in time.
        let settled = Date().addingTimeInterval(10)
        while livenessHolders(cluster.location) < 2, Date() < settled { usleep(50_000) }
        #expect(livenessHolders(cluster.location) == 2)
        third = HubProcess(databasePath: url)
        try third?.start()
        let after = try self.status(url)
        #expect(after.starts == 1)
        #expect(after.rollbacks == 0)
        #expect(!said.contains("gone back in time") && !pulled.stdout.contains("gone back in time"))
    }
}

/// The restore drill done wrong: pg_restore into the database while a hub
/// keeps serving it. The hub notices the feed went back (`FeedHighWater`),
/// laptops that had read past the restored end are told and send again,
/// and nothing they wrote is lost.
@Suite(.serialized) struct RestoreUnderARunningHubTests {
    let directory = TemporaryDirectory()

    func hub(_ arguments: String..., db: String) throws -> CommandResult {
        try CommandRunner.run("hub", arguments + ["--db", db])
    }

    func hubRecordCount(_ db: String) throws -> Int {
        (try jsonObject(hub("records", "list", "--json", db: db).stdout) as? [Any])?.count ?? -1
    }

    /// A PostgreSQL client program (pg_dump, pg_restore) against `location`, over TCP with PGPASSWORD.
    func postgresTool(_ name: String, _ arguments: [String], _ location: PostgresLocation) throws {
        let bin = try #require(ProcessInfo.processInfo.environment["HEALTH_SYNC_POSTGRES_BIN"])
        let result = try CommandRunner.runPath(
            bin + "/" + name,
            ["-h", location.host, "-p", String(location.port), "-U", location.user, "-d", location.database] + arguments
        )
        #expect(result.status == 0, "\(name): \(result.stderr)")
    }

    func addRecords(_ node: StationNode, _ prefix: String, _ count: Int) throws {
        for index in 0..<count {
            let added = try node.run(
                "record", "add", "--name", "\(prefix)\(index)", "--sex", "F", "--birth", "1980-01-01")
            #expect(added.status == 0, "\(added.stderr)")
        }
    }

    func sync(_ node: StationNode) throws -> [String: Any] {
        let result = try node.run("sync", "--json")
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        return (try? jsonObject(result.stdout) as? [String: Any]) ?? [:]
    }

    @Test func aRestoreUnderARunningHubIsNoticedAndLaptopsSendAgainWhatItLost() async throws {
        try await runBlocking {
            try withPostgresDatabase { location in try restoreUnderRunningHub(location) }
        }
    }

    private func restoreUnderRunningHub(_ location: PostgresLocation) throws {
        let url = location.description
        let token = try hub("station", "add", "S01", "--name", "青禾", db: url).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = HubProcess(databasePath: url)
        try server.start()
        defer { server.stop() }
        let (a, b) = (StationNode(db: directory.file("a.sqlite")), StationNode(db: directory.file("b.sqlite")))
        for node in [a, b] {
            #expect(
                try node.run("init", "--station", "S01", "--name", "青禾", "--hub", server.url, "--token", token).status
                    == 0)
        }
        try addRecords(a, "备份前", 5)
        _ = try sync(a)
        let dump = directory.file("hub.dump")
        try postgresTool("pg_dump", ["--format=custom", "--file", dump], location)
        // After the backup: both laptops write, sync, and read past its end.
        try addRecords(a, "备份后A", 5)
        try addRecords(b, "备份后B", 3)
        _ = try sync(a)
        _ = try sync(b)
        _ = try sync(a)
        #expect(try hubRecordCount(url) == 13)

        // Restored while the hub serves: the hub now has the 5 of before.
        try postgresTool("pg_restore", ["--clean", "--if-exists", dump], location)
        #expect(try hubRecordCount(url) == 5)

        // Each laptop is told the hub went back and sends again what it lost.
        #expect(try sync(a)["hub_went_back"] as? Bool == true)
        #expect(try sync(b)["hub_went_back"] as? Bool == true)
        #expect(try hubRecordCount(url) == 13)
        let c = StationNode(db: directory.file("c.sqlite"))
        #expect(
            try c.run("init", "--station", "S01", "--name", "青禾", "--hub", server.url, "--token", token).status == 0)
        _ = try sync(c)
        #expect((try jsonObject(c.run("record", "list", "--json").stdout) as? [Any])?.count == 13)
    }
}
