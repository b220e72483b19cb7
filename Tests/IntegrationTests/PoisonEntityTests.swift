import Foundation
import Testing

@testable import HubCore
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
import SyncTestSupport

/// One entity nobody can sync must not hold back the others: every limit has
/// one definition that writers and readers share, and what is refused anyway
/// stays visible while the rest of the push and the pull go through.
@Suite(.serialized) struct PoisonEntityTests {
    let directory = TemporaryDirectory()

    @Test(arguments: HubBackend.allCases) func anEntityNoPushCanCarryIsReportedWhileTheRestIsPushedAndPulled(
        backend: HubBackend
    ) async throws {
        let hub = try await LiveHub.start(backend: backend)
        // Another laptop of the station has a record waiting at the hub.
        let other = try makeStore(directory, "other.sqlite")
        let waiting = try other.addRecord(station: "S01", values: sampleRecord, clerk: "王")
        other.close()
        _ = try await sync(directory.file("other.sqlite"), hub: hub, station: "S01")

        // A store an older version let grow a 16 MB note (as a CSV import once
        // did), between ordinary records.
        let store = try makeStore(directory, "poisoned.sqlite")
        var ids: [String] = []
        for index in 0..<6 {
            ids.append(try store.addRecord(station: "S01", values: sampleRecord, clerk: "李\(index)").id)
        }
        var generator = SplitMix64(seed: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        let huge = String(decoding: (0..<16_000_000).map { _ in letters[Int(generator.next() % 62)] }, as: UTF8.self)
        var poisoned = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S01")
        poisoned.write(
            [.set("name", "巨"), .set("sex", "F"), .set("birth", "1980-01-01"), .set("note", huge)], node: store.nodeID,
            time: 1, clerk: nil)
        try store.writeTransaction { _ = try store.put(poisoned, replacing: nil) }
        for index in 6..<12 {
            ids.append(try store.addRecord(station: "S01", values: sampleRecord, clerk: "李\(index)").id)
        }
        store.close()

        let report = try await sync(directory.file("poisoned.sqlite"), hub: hub, station: "S01")
        #expect(report.pushed == 12)
        #expect(report.failures.map(\.id) == [poisoned.id], "\(report.failures)")
        #expect(report.pulled >= 1)
        let after = try ReplicaStore(path: directory.file("poisoned.sqlite"))
        defer { after.close() }
        #expect(try after.entity(.record, waiting.id) != nil, "the pull ran")
        #expect(try after.pendingCount() == 1, "the refused entity still waits, visible")
        let atHub = try hub.withStore { try Set($0.replica.entities(.record).map(\.id)) }
        #expect(atHub.isSuperset(of: ids))
        #expect(!atHub.contains(poisoned.id))
        try await hub.stop()
    }

    @Test func limitsAreBytesAndEveryWriterAndReaderAgrees() throws {
        let store = try makeStore(directory, "limits.sqlite")
        defer { store.close() }
        // One "character" of half a million combining marks is a megabyte.
        let combining = "a" + String(repeating: "\u{0301}", count: 500_000)
        #expect(combining.count == 1)
        var values = sampleRecord
        values[.note] = combining
        #expect(throws: StoreError.self) { try store.addRecord(station: "S01", values: values, clerk: "c") }

        // Exactly at each limit: written, stored, read back, and valid at the hub.
        values = sampleRecord
        values[.name] = String(repeating: "张", count: TextLimit.bytes(of: .name) / 3)
        values[.note] = String(repeating: "记", count: TextLimit.bytes(of: .note) / 3)
        let clerk = String(repeating: "周", count: TextLimit.clerk / 3)
        let written = try store.addRecord(station: "S01", values: values, clerk: clerk)
        let read = try #require(try store.entity(.record, written.id))
        #expect(try EntityState.decodeJSON(read.encodedJSON()) == read)
        try EntitySchema().validate(read)

        // One byte over: refused by the writer, and by the hub's checks alike.
        values[.name] = String(repeating: "张", count: TextLimit.bytes(of: .name) / 3) + "a"
        #expect(throws: StoreError.self) { try store.addRecord(station: "S01", values: values, clerk: "c") }
        var overName = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S01")
        overName.write(
            [.set("name", values[.name]), .set("sex", "F"), .set("birth", "1980-01-01")], node: "n", time: 1, clerk: nil
        )
        #expect(throws: ValidationError.self) { try EntitySchema().validate(overName) }
        #expect(throws: StoreError.self) {
            try store.addRecord(station: "S01", values: sampleRecord, clerk: clerk + "a")
        }
        var overClerk = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S01")
        overClerk.write(
            [.set("name", "x"), .set("sex", "F"), .set("birth", "1980-01-01")], node: "n", time: 1, clerk: clerk + "a")
        #expect(throws: JSONError.self) { try EntityState.decodeJSON(overClerk.encodedJSON()) }
    }

    @Test func aClerkNameTooLongIsRefusedAtTheCommandLineAndNothingIsWritten() throws {
        let node = StationNode(db: directory.file("cli.sqlite"))
        #expect(try node.run("init", "--station", "S01", "--name", "x").status == 0)
        let long = String(repeating: "周", count: 60)
        let refused = try CommandRunner.run(
            "station",
            ["record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01", "--db", node.db, "--clerk", long])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("clerk") && refused.stderr.contains("bytes"), "\(refused.stderr)")
        #expect(try node.run("record", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }
}
