import SyncTestSupport
import Testing

@testable import HubCore
@testable import SyncModel
@testable import SyncStore

/// A hub whose database goes back under it (restored while it serves)
/// starts an incarnation at the restored end, once, as it notices.
@Suite struct FeedHighWaterTests {
    private func body(_ store: ReplicaStore) throws -> [UInt8] {
        PushRequest.encode(node: store.nodeID, encodedStates: try store.changes(since: 0, limit: 100).map(\.bytes))
    }

    private func add(_ count: Int, to store: ReplicaStore) throws {
        for index in 0..<count {
            var values = sampleRecord
            values[.note] = "n\(index)"
            _ = try store.addRecord(station: "S01", values: values, clerk: nil)
        }
    }

    @Test func aFeedThatShrinksUnderAServingHubStartsOneIncarnationAtItsNewEnd() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("hub.sqlite")
        let hub = try HubService(path: path)
        defer { hub.close() }
        _ = try hub.addStation(id: "S01", name: "青禾")
        _ = try hub.startIncarnation()
        let laptop = try ReplicaStore(path: directory.file("a.sqlite"))
        defer { laptop.close() }
        try add(10, to: laptop)
        #expect(try hub.push(station: "S01", body: body(laptop)).accepted == 10)
        #expect(try hub.push(station: "S01", body: body(laptop)).accepted == 10)
        #expect(try hub.store.incarnations().count == 1, "a feed that did not go back starts nothing")

        // Another connection takes the feed back to position 4, as a restore would.
        let other = try HubService(path: path)
        try other.replica.sqlite!.execute("DELETE FROM entities WHERE seq > 4")
        other.close()

        try add(1, to: laptop)
        _ = try hub.push(station: "S01", body: body(laptop))
        let incarnations = try hub.store.incarnations()
        #expect(incarnations.count == 2)
        #expect(incarnations.last?.startSeq == 4)
        // Noticed once: the next pushes start nothing more.
        _ = try hub.push(station: "S01", body: body(laptop))
        #expect(try hub.store.incarnations().count == 2)
    }
}
