import Foundation
import Testing
@testable import HubServer
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport
import SyncTestSupport

/// Station–hub sync over real HTTP: a live hub on a random loopback port,
/// real libcurl requests, real SQLite files.
@Suite(.serialized) struct SyncOverHTTPTests {
    static let october = Period(year: 2026, month: 10)

    func addRecords(_ store: ReplicaStore, station: String, count: Int, prefix: String = "r") throws -> [String] {
        try store.writeTransaction {
            try (0..<count).map { index in
                var values = sampleRecord
                values[.note] = "\(prefix)\(index)"
                return try store.addRecord(station: station, values: values, clerk: "clerk").id
            }
        }
    }

    func states(_ store: ReplicaStore, station: String) throws -> [String: EntityState] {
        var result: [String: EntityState] = [:]
        for kind in EntityKind.allCases {
            for state in try store.entities(kind, includeDeleted: true) where state.station == station {
                result[state.id] = state
            }
        }
        return result
    }

    func hubStates(_ hub: LiveHub, station: String) throws -> [String: EntityState] {
        try hub.withStore { try states($0.replica, station: station) }
    }

    // 1
    @Test(arguments: HubBackend.allCases) func twoStationsAndAHubConverge(backend: HubBackend) async throws {
        let hub = try await LiveHub.start(backend: backend)
        let directory = TemporaryDirectory()
        let one = try makeStore(directory, "s01.sqlite")
        let two = try makeStore(directory, "s02.sqlite")
        let ids = try addRecords(one, station: "S01", count: 20)
        _ = try addRecords(two, station: "S02", count: 15)
        try one.setTally(TallyKey(station: "S01", period: Self.october, element: "LIVE_BIRTHS"), value: 4, clerk: "c")
        try two.setTally(TallyKey(station: "S02", period: Self.october, element: "LIVE_BIRTHS"), value: 7, clerk: "c")

        let first = try await sync(directory.file("s01.sqlite"), hub: hub, station: "S01")
        let second = try await sync(directory.file("s02.sqlite"), hub: hub, station: "S02")
        #expect(first.pushed == 21 && first.failures.isEmpty)
        #expect(second.pushed == 16 && second.failures.isEmpty)
        #expect(try hubStates(hub, station: "S01").count == 21)
        #expect(try hubStates(hub, station: "S02").count == 16)

        // The hub operator edits an S01 record; only S01 receives it.
        try hub.withStore { store in
            _ = try store.replica.editRecord(id: ids[3], set: [.village: "松岭村"], clerk: "operator")
        }
        let back = try await sync(directory.file("s01.sqlite"), hub: hub, station: "S01")
        #expect(back.pulled == 1 && back.merged == 1)
        #expect(try one.entity(.record, ids[3])?.value("village") == "松岭村")
        let other = try await sync(directory.file("s02.sqlite"), hub: hub, station: "S02")
        #expect(other.pulled == 0)
        #expect(try two.entity(.record, ids[3]) == nil)

        #expect(try states(one, station: "S01") == hubStates(hub, station: "S01"))
        #expect(try states(two, station: "S02") == hubStates(hub, station: "S02"))
        try await hub.stop()
    }

    // 2
    @Test(arguments: HubBackend.allCases) func replayedPushChangesAndDuplicatesNothing(backend: HubBackend) async throws
    {
        let hub = try await LiveHub.start(backend: backend)
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        _ = try addRecords(store, station: "S01", count: 10)
        let body = PushRequest.encode(
            node: store.nodeID, encodedStates: try store.changes(since: 0, limit: 100).map(\.bytes))
        let first = try await request(hub, "POST", "/v1/push", token: hub.tokens["S01"], body: body)
        #expect(first.status == 200)
        #expect(try PushResponse.decode(first.body).stored == 10)
        let before = try hubFingerprint(hub)
        let replay = try await request(hub, "POST", "/v1/push", token: hub.tokens["S01"], body: body)
        #expect(
            try PushResponse.decode(replay.body)
                == {
                    var r = PushResponse(); r.accepted = 10; return r
                }())
        #expect(try hubFingerprint(hub) == before)

        // The station never saw those answers (a lost response): its own sync
        // pushes the same states again, and nothing changes or doubles.
        let report = try await sync(directory.file("store.sqlite"), hub: hub, station: "S01")
        #expect(report.pushed == 10 && report.pulled == 0)
        #expect(try hubFingerprint(hub) == before)
        #expect(try hubStates(hub, station: "S01").count == 10)
        try await hub.stop()
    }

    // 3
    @Test(arguments: HubBackend.allCases) func pushCutMidBodyResumesFromTheLastCommittedBatch(backend: HubBackend)
        async throws
    {
        let hub = try await LiveHub.start(backend: backend)
        let proxy = try CuttingProxy(upstreamPort: hub.port)
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        _ = try addRecords(store, station: "S01", count: 1_000)
        let proxyURL = "http://127.0.0.1:\(proxy.port)"
        // Batches of 100, sent plain; the link drops inside the fourth request body.
        let batch = try store.changes(since: 0, limit: 100).reduce(0) { $0 + $1.bytes.count + 1 }
        proxy.arm(cutAfter: 3 * batch + batch / 2, direction: .request)
        await #expect(throws: SyncError.self) {
            _ = try await sync(directory.file("store.sqlite"), hub: hub, station: "S01", url: proxyURL) { options, _ in
                options.batchSize = 100
                options.gzip = false
            }
        }
        #expect(proxy.cuts == 1)
        let pending = try store.pendingCount()
        let atHub = try hubStates(hub, station: "S01").count
        #expect(pending > 0 && pending < 1_000)
        #expect(atHub == 1_000 - pending)
        proxy.restore()
        let resumed = try await sync(directory.file("store.sqlite"), hub: hub, station: "S01", url: proxyURL) {
            options, _ in
            options.batchSize = 100
        }
        #expect(resumed.pushed == pending)
        #expect(try states(store, station: "S01") == hubStates(hub, station: "S01"))
        proxy.close()
        try await hub.stop()
    }

    @Test(arguments: HubBackend.allCases) func pullCutMidResponseResumesFromTheLastCommittedPage(backend: HubBackend)
        async throws
    {
        let hub = try await LiveHub.start(backend: backend)
        let proxy = try CuttingProxy(upstreamPort: hub.port)
        let directory = TemporaryDirectory()
        let first = try makeStore(directory, "laptop1.sqlite")
        _ = try addRecords(first, station: "S01", count: 1_000)
        _ = try await sync(directory.file("laptop1.sqlite"), hub: hub, station: "S01")
        // A second laptop of the same station joins and pulls everything.
        let second = try makeStore(directory, "laptop2.sqlite")
        let proxyURL = "http://127.0.0.1:\(proxy.port)"
        // Pages of 100 come gzipped, several kilobytes each: the link drops in the second or third.
        proxy.arm(cutAfter: 20_000, direction: .response)
        await #expect(throws: SyncError.self) {
            _ = try await sync(directory.file("laptop2.sqlite"), hub: hub, station: "S01", url: proxyURL) {
                options, _ in
                options.pullLimit = 100
            }
        }
        let partial = try states(second, station: "S01").count
        #expect(partial > 0 && partial < 1_000)
        proxy.restore()
        let resumed = try await sync(directory.file("laptop2.sqlite"), hub: hub, station: "S01", url: proxyURL) {
            options, _ in
            options.pullLimit = 100
        }
        #expect(resumed.pulled == 1_000 - partial)
        #expect(try states(second, station: "S01") == hubStates(hub, station: "S01"))
        proxy.close()
        try await hub.stop()
    }

    @Test(arguments: HubBackend.allCases) func retriesCarryASyncOverADroppedConnection(backend: HubBackend) async throws
    {
        let hub = try await LiveHub.start(backend: backend)
        let proxy = try CuttingProxy(upstreamPort: hub.port)
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        _ = try addRecords(store, station: "S01", count: 300)
        proxy.arm(cutAfter: 20_000, direction: .request)
        // The link comes back while the client is backing off: once it has
        // been cut (waiting a fixed time raced the handshake on a busy machine).
        Task {
            for _ in 0..<500 where proxy.cuts == 0 { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(30))
            proxy.restore()
        }
        let report = try await sync(
            directory.file("store.sqlite"), hub: hub, station: "S01",
            url: "http://127.0.0.1:\(proxy.port)"
        ) { options, client in
            options.gzip = false
            client.baseDelay = 0.1
        }
        #expect(proxy.cuts == 1)
        #expect(report.pushed == 300 && report.failures.isEmpty)
        #expect(try store.pendingCount() == 0)
        proxy.close()
        try await hub.stop()
    }

    // 4
    @Test(arguments: HubBackend.allCases) func pullRightAfterPushDoesNotEchoWhatWasSent(backend: HubBackend)
        async throws
    {
        let hub = try await LiveHub.start(backend: backend)
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        _ = try addRecords(store, station: "S01", count: 50)
        let report = try await sync(directory.file("store.sqlite"), hub: hub, station: "S01")
        #expect(report.pushed == 50)
        #expect(report.pulled == 0)
        let again = try await sync(directory.file("store.sqlite"), hub: hub, station: "S01")
        #expect(again.pushed == 0 && again.pulled == 0)
        // Nothing to push: the handshake and the pull, nothing else.
        #expect(again.requests == 2)
        try await hub.stop()
    }

    @Test(arguments: HubBackend.allCases) func secondLaptopOfAStationReceivesTheFirstLaptopsWrites(backend: HubBackend)
        async throws
    {
        let hub = try await LiveHub.start(backend: backend)
        let directory = TemporaryDirectory()
        let one = try makeStore(directory, "a.sqlite")
        let two = try makeStore(directory, "b.sqlite")
        let ids = try addRecords(one, station: "S01", count: 5)
        _ = try await sync(directory.file("a.sqlite"), hub: hub, station: "S01")
        let joined = try await sync(directory.file("b.sqlite"), hub: hub, station: "S01")
        #expect(joined.pulled == 5)
        try two.editRecord(id: ids[0], set: [.phone: "13512345678"], clerk: "b")
        _ = try await sync(directory.file("b.sqlite"), hub: hub, station: "S01")
        let back = try await sync(directory.file("a.sqlite"), hub: hub, station: "S01")
        #expect(back.pulled == 1)
        #expect(try one.entity(.record, ids[0])?.value("phone") == "13512345678")
        try await hub.stop()
    }
}
