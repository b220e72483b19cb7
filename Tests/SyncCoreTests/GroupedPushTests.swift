import SyncTestSupport
import Testing

@testable import HubCore
@testable import SyncModel
@testable import SyncStore

/// Pushes merged in one transaction (`HubService.push(_:)`, as the hub's push
/// lane does when several wait) end as they would one after another.
@Suite struct GroupedPushTests {
    private struct Refused: Error {}

    private func body(_ store: ReplicaStore) throws -> [UInt8] {
        PushRequest.encode(node: store.nodeID, encodedStates: try store.changes(since: 0, limit: 100).map(\.bytes))
    }

    private func add(_ count: Int, to store: ReplicaStore, station: String) throws {
        for index in 0..<count {
            var values = sampleRecord
            values[.note] = "\(station)-\(index)"
            _ = try store.addRecord(station: station, values: values, clerk: nil)
        }
    }

    @Test func aPushRefusedWholeFailsAloneAndTheFeedHasNoGap() throws {
        let directory = TemporaryDirectory()
        let hub = try HubService(path: directory.file("hub.sqlite"))
        _ = try hub.addStation(id: "S01", name: "一")
        _ = try hub.addStation(id: "S02", name: "二")
        let (a, b, d) = (
            try makeStore(directory, "a.sqlite"), try makeStore(directory, "b.sqlite"),
            try makeStore(directory, "d.sqlite")
        )
        try add(3, to: a, station: "S01")
        try add(2, to: b, station: "S02")
        try add(2, to: d, station: "S02")
        // b's node is S02's from now on.
        #expect(try hub.push(station: "S02", body: body(b)).accepted == 2)
        try add(1, to: b, station: "S02")

        let schema = hub.replica.schema
        let results = hub.push([
            ("S01", try HubService.prepare(body(a), schema: schema)),
            ("S01", try HubService.prepare(body(b), schema: schema)),
            ("S02", try HubService.prepare(body(d), schema: schema)),
        ])
        #expect(results.count == 3)
        #expect((try? results[0].get())?.accepted == 3)
        #expect(throws: HubFailure.self) { try results[1].get() }
        #expect((try? results[2].get())?.accepted == 2)
        let seqs = try hub.replica.changes(since: 0, limit: 100).map(\.seq)
        #expect(seqs == Array(1...7))
    }

    @Test func aFullDiskInASharedCommitAnswersAcceptedOnlyWhatIsStored() throws {
        let directory = TemporaryDirectory()
        let hub = try HubService(path: directory.file("hub.sqlite"))
        _ = try hub.addStation(id: "S01", name: "一")
        _ = try hub.addStation(id: "S02", name: "二")
        let (small, large, after) = (
            try makeStore(directory, "small.sqlite"), try makeStore(directory, "large.sqlite"),
            try makeStore(directory, "after.sqlite")
        )
        try add(1, to: small, station: "S01")
        try add(1, to: after, station: "S01")
        var values = sampleRecord
        for index in 0..<60 {
            values[.note] = String(repeating: "很长的备注", count: 150) + "\(index)"
            _ = try large.addRecord(station: "S02", values: values, clerk: nil)
        }
        let bodies = (
            try body(small),
            PushRequest.encode(
                node: large.nodeID, encodedStates: try large.changes(since: 0, limit: 100).map(\.bytes))
        )
        // Room for the small push, not for the large one's half megabyte.
        let pages = try #require(try hub.replica.database.scalarInt("PRAGMA page_count"))
        try hub.replica.database.execute("PRAGMA max_page_count=\(pages + 8)")

        let schema = hub.replica.schema
        let results = hub.push([
            ("S01", try HubService.prepare(bodies.0, schema: schema)),
            ("S02", try HubService.prepare(bodies.1, schema: schema)),
            ("S01", try HubService.prepare(body(after), schema: schema)),
        ])
        #expect(throws: (any Error).self) { try results[1].get() }
        // SQLite undoes the whole transaction on a full disk: the push after
        // the large one must not then be written outside it, each statement
        // committed on its own. What was answered accepted is stored, and
        // nothing else is.
        let stored = try hub.replica.changes(since: 0, limit: 1_000)
        let accepted = results.compactMap { try? $0.get().accepted }.reduce(0, +)
        #expect(stored.count == accepted)
        #expect(stored.map(\.seq) == Array(0..<Int64(stored.count)).map { $0 + 1 })
        try hub.replica.database.execute("PRAGMA max_page_count=1073741823")
        // And the hub goes on: the large push, sent again, is taken whole.
        #expect(try hub.push(station: "S02", body: bodies.1).accepted == 60)
    }

    @Test func aPartUndoneGivesItsSequenceNumbersBack() throws {
        let directory = TemporaryDirectory()
        let source = try makeStore(directory, "source.sqlite")
        try add(3, to: source, station: "S01")
        let states = try source.changes(since: 0, limit: 10).map { try $0.decode() }
        let store = try makeStore(directory)
        try store.writeTransaction {
            try store.merge(states[0], from: .node(source.nodeID))
            #expect(throws: Refused.self) {
                try store.writePart {
                    try store.merge(states[1], from: .node(source.nodeID))
                    throw Refused()
                }
            }
            try store.merge(states[2], from: .node(source.nodeID))
        }
        let feed = try store.changes(since: 0, limit: 10)
        #expect(feed.map(\.seq) == [1, 2])
        #expect(try feed.map { try $0.decode().id } == [states[0].id, states[2].id])
    }
}
