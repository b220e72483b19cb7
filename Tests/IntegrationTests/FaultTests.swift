import Foundation
import Testing
@testable import HubCore
@testable import HubServer
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport
import SyncTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Real processes killed with SIGKILL at random moments while stations sync.
/// Afterwards every station and the hub hold identical data, no write that a
/// station committed is missing, and nothing is duplicated (full content is
/// compared, not counts). CI runs 20 kills of each kind; `scripts/faults.sh`
/// runs the full size (FAULT_KILLS=100 or more). The seed is printed.
@Suite(.serialized) struct FaultTests {
    static let environment = ProcessInfo.processInfo.environment
    static let kills = Int(environment["FAULT_KILLS"] ?? "") ?? 20

    static func makeSeed() -> UInt64 {
        let seed = UInt64(environment["FAULT_SEED"] ?? "") ?? UInt64.random(in: 0...UInt64(UInt32.max))
        print("fault test seed \(seed) (FAULT_SEED=\(seed) replays it), kills \(kills)")
        return seed
    }

    /// Local writes at a station: new records, edits, one tally.
    static func write(_ store: ReplicaStore, station: String, round: Int, random: inout SplitMix64) throws {
        try store.writeTransaction {
            for index in 0..<40 {
                var values = sampleRecord
                values[.note] = "round \(round) #\(index)"
                try store.addRecord(station: station, values: values, clerk: "c")
            }
            let records = try store.entities(.record)
            for _ in 0..<5 {
                guard let state = records.randomElement(using: &random), !state.hasConflict else { continue }
                try store.editRecord(
                    id: state.id,
                    set: [.phone: "139\(String(Int.random(in: 10_000_000...99_999_999, using: &random)))"], clerk: "c")
            }
            let period = Period(year: 2026, month: 1 + round % 10)
            try store.setTally(
                TallyKey(station: station, period: period, element: "LIVE_BIRTHS"), value: round, clerk: "c")
        }
    }

    static func states(_ store: ReplicaStore, station: String) throws -> [String: EntityState] {
        var result: [String: EntityState] = [:]
        for kind in EntityKind.allCases {
            for state in try store.entities(kind, includeDeleted: true) where state.station == station {
                #expect(result.updateValue(state, forKey: "\(kind)/\(state.id)") == nil, "duplicate \(state.id)")
            }
        }
        return result
    }

    /// Syncs until a sync succeeds (the hub may still be restarting).
    static func syncToTheEnd(_ node: StationNode) async throws {
        for _ in 0..<10 {
            if try await node.sync().status == 0 { return }
        }
        Issue.record("\(node.db) never completed a sync")
    }

    /// `syncToTheEnd` for a test already on a thread of its own.
    static func syncToTheEndBlocking(_ node: StationNode) {
        for _ in 0..<10 {
            if (try? CommandRunner.run("station", ["sync", "--db", node.db, "--clerk", node.clerk]))?.status == 0 {
                return
            }
        }
        Issue.record("\(node.db) never completed a sync")
    }

    /// How long to wait before a kill: a random moment below an upper bound
    /// that follows how long syncs take on this machine, so that kills land
    /// while syncs run (a fixed window let most syncs finish first on a fast
    /// machine). The bound shrinks by a quarter when a kill came too late
    /// and grows by 8% when it landed, which settles where about four kills
    /// in five land.
    struct KillWindow {
        var upper: UInt32 = 120_000
        let range: ClosedRange<UInt32> = 5_000...300_000

        func delay(_ random: inout SplitMix64) -> UInt32 { UInt32.random(in: 0...upper, using: &random) }

        mutating func record(landed: Bool) {
            let next = landed ? Double(upper) * 1.08 : Double(upper) * 0.75
            upper = min(range.upperBound, max(range.lowerBound, UInt32(next)))
        }
    }

    @Test(arguments: HubBackend.allCases) func hubKilledAtRandomMomentsLosesAndDuplicatesNothing(backend: HubBackend)
        async throws
    {
        // Minutes of waiting on processes: on a thread of its own, not on
        // Swift's two-thread pool, where the in-process hubs of the suites
        // running beside it would starve (their stations' requests timed out).
        try await runBlocking { try Self.killHubAtRandomMoments(backend) }
    }

    private static func killHubAtRandomMoments(_ backend: HubBackend) throws {
        var random = SplitMix64(seed: Self.makeSeed())
        let directory = TemporaryDirectory()
        let (hubPath, drop) = try makeHubDatabase(backend, in: directory)
        defer { drop?() }
        let admin = try HubLocation(hubPath).open(schema: EntitySchema())
        let stations = ["S01", "S02", "S03"]
        var tokens: [String: String] = [:]
        for station in stations { tokens[station] = try admin.addStation(id: station, name: station) }
        admin.close()
        let hub = HubProcess(databasePath: hubPath)
        try hub.start()
        var nodes: [String: StationNode] = [:]
        for station in stations {
            let node = StationNode(db: directory.file("\(station).sqlite"))
            #expect(
                try node.run(
                    "init", "--station", station, "--name", station, "--hub", hub.url, "--token", tokens[station]!
                ).status == 0)
            nodes[station] = node
        }
        var written = 0
        var interrupted = 0
        var inFlight = 0
        var window = KillWindow()
        for round in 0..<Self.kills {
            for station in stations {
                let store = try ReplicaStore(path: nodes[station]!.db)
                try Self.write(store, station: station, round: round, random: &random)
                store.close()
                written += 40
            }
            let syncs = try stations.map { try startStationSync(nodes[$0]!) }
            usleep(window.delay(&random))
            let running = syncs.filter(\.isRunning).count
            inFlight += running
            window.record(landed: running > 0)
            hub.kill()
            try hub.start()
            for process in syncs {
                process.waitUntilExit()
                if process.terminationStatus != 0 { interrupted += 1 }
            }
        }
        // Most syncs ride over a kill: the client retries with backoff while the hub restarts.
        print(
            "hub killed \(Self.kills) times with \(inFlight) of \(3 * Self.kills) station syncs in flight; \(interrupted) syncs failed and were finished by a later one"
        )
        #expect(inFlight > 0, "no kill landed during a sync")
        for _ in 0..<2 {
            for station in stations { Self.syncToTheEndBlocking(nodes[station]!) }
        }
        hub.stop()
        let hubStore = try HubLocation(hubPath).open(schema: EntitySchema())
        var total = 0
        for station in stations {
            let local = try ReplicaStore(path: nodes[station]!.db)
            let mine = try Self.states(local, station: station)
            let atHub = try Self.states(hubStore.replica, station: station)
            #expect(mine == atHub, "\(station) differs from the hub")
            #expect(try local.pendingCount() == 0)
            total += mine.values.filter { $0.kind == .record }.count
            local.close()
        }
        #expect(total == written, "every record written is there, once")
        if backend == .sqlite { #expect(try hubStore.replica.integrityCheck() == "ok") }
        hubStore.close()
    }

    @Test(arguments: HubBackend.allCases) func stationKilledMidSyncLosesAndDuplicatesNothing(backend: HubBackend)
        async throws
    {
        var random = SplitMix64(seed: Self.makeSeed() &+ 1)
        let hub = try await LiveHub.start(backend: backend)
        let directory = TemporaryDirectory()
        let nodes = ["a", "b"].map { StationNode(db: directory.file("\($0).sqlite")) }
        for node in nodes {
            #expect(
                try node.run(
                    "init", "--station", "S01", "--name", "S01", "--hub", hub.url, "--token", hub.tokens["S01"]!
                ).status == 0)
        }
        var written = 0
        var landed = 0
        var window = KillWindow()
        for round in 0..<Self.kills {
            let node = nodes[round % 2]
            let store = try ReplicaStore(path: node.db)
            try Self.write(store, station: "S01", round: round, random: &random)
            store.close()
            written += 40
            if round % 3 == 0 {
                // An operator edit at the hub, so pulls carry work too.
                try hub.withStore { hubStore in
                    if let state = try hubStore.replica.entities(.record).first(where: { !$0.hasConflict }) {
                        _ = try hubStore.replica.editRecord(id: state.id, set: [.household: "H\(round)"], clerk: "op")
                    }
                }
            }
            let sync = try startStationSync(node)
            usleep(window.delay(&random))
            Glibc.kill(sync.processIdentifier, SIGKILL)
            sync.waitUntilExit()
            let killed = sync.terminationReason == .uncaughtSignal
            if killed { landed += 1 }
            window.record(landed: killed)
        }
        print("station sync killed \(landed) of \(Self.kills) times before it finished")
        #expect(landed > 0, "no kill landed during a sync")
        for _ in 0..<2 {
            for node in nodes { try await Self.syncToTheEnd(node) }
        }
        let atHub = try hub.withStore { try Self.states($0.replica, station: "S01") }
        for node in nodes {
            let store = try ReplicaStore(path: node.db)
            #expect(try Self.states(store, station: "S01") == atHub, "\(node.db) differs from the hub")
            #expect(try store.integrityCheck() == "ok")
            store.close()
        }
        #expect(atHub.values.filter { $0.kind == .record }.count == written)
        try await hub.stop()
    }

    @Test(arguments: HubBackend.allCases) func responseDelayedPastTheTimeoutIsRetriedWithoutDoubling(
        backend: HubBackend
    ) async throws {
        let hub = try await LiveHub.start(backend: backend)
        let proxy = try CuttingProxy(upstreamPort: hub.port)
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        try store.writeTransaction {
            for index in 0..<200 {
                var values = sampleRecord
                values[.note] = "n\(index)"
                try store.addRecord(station: "S01", values: values, clerk: nil)
            }
        }
        // The delay is twice the timeout, and the timeout leaves the retries
        // a second each: a loaded CI machine answered a handshake in more than
        // half a second, which made all four attempts time out.
        proxy.delayNextResponse(seconds: 2)
        let report = try await sync(
            directory.file("store.sqlite"), hub: hub, station: "S01",
            url: "http://127.0.0.1:\(proxy.port)"
        ) { _, client in
            client.timeout = 1
            client.baseDelay = 0.05
        }
        #expect(proxy.delays == 1)
        #expect(report.pushed == 200 && report.failures.isEmpty)
        #expect(try hub.withStore { try $0.replica.entities(.record).count } == 200)
        let local = try FaultTests.states(store, station: "S01")
        #expect(try hub.withStore { try FaultTests.states($0.replica, station: "S01") } == local)
        proxy.close()
        try await hub.stop()
    }
}
