import Foundation
import Testing

@testable import HubCore
@testable import SyncModel
@testable import SyncStore
import SyncTestSupport

/// What field staff meet: a hub restored from last night's backup, a laptop
/// restored from a USB copy, a laptop cloned by copying its database file.
/// Real `hub` and `station` processes on loopback; after each event every
/// laptop and the hub hold the same data and no write that survives anywhere
/// is missing.
@Suite(.serialized) struct FieldEventTests {
    let directory = TemporaryDirectory()

    func hub() throws -> (HubProcess, token: String) {
        let path = directory.file("hub.sqlite")
        let admin = try HubService(path: path)
        let token = try admin.addStation(id: "S01", name: "青禾")
        admin.close()
        let process = HubProcess(databasePath: path)
        try process.start()
        return (process, token)
    }

    func laptop(_ name: String, _ hub: HubProcess, token: String) throws -> StationNode {
        let node = StationNode(db: directory.file(name))
        let result = try node.run("init", "--station", "S01", "--name", "青禾", "--hub", hub.url, "--token", token)
        #expect(result.status == 0, "\(result.stderr)")
        return node
    }

    @discardableResult
    func sync(_ node: StationNode, _ hub: HubProcess) async throws -> CommandResult {
        let result = try await node.sync(hub: hub.url)
        #expect(result.status == 0, "\(node.db): \(result.stdout) \(result.stderr)")
        return result
    }

    func addRecord(_ node: StationNode, _ name: String) throws -> String {
        let result = try node.run(
            "record", "add", "--name", name, "--sex", "F", "--birth", "1980-01-01", "--village", "青禾村")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every record a store holds: id → its JSON as `record show --json` prints it.
    func records(_ node: StationNode) throws -> [String: [String: String]] {
        let list = try #require(try jsonObject(node.run("record", "list", "--json").stdout) as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: list.map { record in
                (record["id"] as! String, record.compactMapValues { $0 as? String })
            })
    }

    func hubRecords(_ hub: HubProcess) throws -> [String: [String: String]] {
        let result = try CommandRunner.run("hub", ["records", "list", "--json", "--db", hub.databasePath])
        let list = try #require(try jsonObject(result.stdout) as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: list.map { record in
                (record["id"] as! String, record.compactMapValues { $0 as? String })
            })
    }

    func nodeID(_ node: StationNode) throws -> String {
        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        return try #require(status["node"] as? String)
    }

    @Test func hubRestoredFromBackupGetsBackEveryWriteTheLaptopsHold() async throws {
        let (hub, token) = try hub()
        defer { hub.stop() }
        let a = try laptop("a.sqlite", hub, token: token)
        let b = try laptop("b.sqlite", hub, token: token)
        try await sync(a, hub)
        try await sync(b, hub)
        hub.stop()
        try copyStore(hub.databasePath, directory.file("hub-backup.sqlite"))
        try hub.start()

        for index in 0..<5 {
            _ = try addRecord(a, "甲\(index)")
            _ = try addRecord(b, "乙\(index)")
        }
        #expect(try a.run("tally", "set", "LIVE_BIRTHS", "2026-10", "4").status == 0)
        try await sync(a, hub)
        try await sync(b, hub)
        try await sync(a, hub)
        #expect(try hubRecords(hub).count == 10)

        // Last night's backup goes back; the restored hub takes a new
        // laptop's 30 records before A or B returns, so its feed is longer
        // than the one they read.
        hub.stop()
        try copyStore(directory.file("hub-backup.sqlite"), hub.databasePath)
        try hub.start()
        let c = try laptop("c.sqlite", hub, token: token)
        for index in 0..<30 { _ = try addRecord(c, "丙\(index)") }
        try await sync(c, hub)
        let later = try addRecord(b, "乙后")

        let first = try await sync(b, hub)
        #expect(first.stdout.contains("gone back in time"), "\(first.stdout)")
        for node in [a, b, c, a] { try await sync(node, hub) }

        let atHub = try hubRecords(hub)
        #expect(atHub.count == 41)
        #expect(atHub[later] != nil)
        for node in [a, b, c] {
            #expect(try records(node) == atHub, "\(node.db) differs from the hub")
            #expect(try node.run("status", "--json").stdout.contains("\"pending\":0"))
        }
        let tally = try CommandRunner.run("hub", ["tally", "list", "--json", "--db", hub.databasePath])
        #expect(tally.stdout.contains("\"value\":4"), "\(tally.stdout)")
        let rollbacks = try HubStore(path: hub.databasePath).rollbacks()
        #expect(Set(rollbacks.map(\.station)) == ["S01"])
        #expect(rollbacks.count == 2)  // A and B each found it once
        let status = try CommandRunner.run("hub", ["status", "--db", hub.databasePath])
        #expect(status.stdout.contains("went back in time"), "\(status.stdout)")
    }

    @Test func laptopRestoredFromBackupKeepsTheEditsMadeAfterTheRestore() async throws {
        let (hub, token) = try hub()
        defer { hub.stop() }
        let a = try laptop("a.sqlite", hub, token: token)
        let b = try laptop("b.sqlite", hub, token: token)
        let record = try addRecord(a, "张秀英")
        try await sync(a, hub)
        try await sync(b, hub)
        try copyStore(a.db, directory.file("a-backup.sqlite"))
        let before = try nodeID(a)

        #expect(try a.run("record", "edit", record, "--set", "village=松岭村").status == 0)
        let madeAfterBackup = try addRecord(a, "王芳")
        try await sync(a, hub)
        try await sync(b, hub)
        #expect(try b.run("record", "edit", record, "--set", "village=南塘村").status == 0)
        try await sync(b, hub)

        try copyStore(directory.file("a-backup.sqlite"), a.db)
        #expect(try a.run("record", "edit", record, "--set", "phone=13911112222", "--set", "note=重要随访").status == 0)
        let first = try await sync(a, hub)
        #expect(first.stdout.contains("restored or copied"), "\(first.stdout)")
        try await sync(b, hub)
        try await sync(a, hub)

        #expect(try nodeID(a) != before)
        let atHub = try hubRecords(hub)
        let settled = try #require(atHub[record])
        #expect(settled["phone"] == "13911112222")
        #expect(settled["note"] == "重要随访")
        #expect(settled["village"] == "南塘村")
        #expect(atHub[madeAfterBackup] != nil)
        for node in [a, b] {
            #expect(try records(node) == atHub, "\(node.db) differs from the hub")
        }
        let conflicts = try CommandRunner.run("hub", ["conflicts", "list", "--json", "--db", hub.databasePath])
        #expect(conflicts.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func clonedLaptopTakesItsOwnNodeIdAndBothCopiesConverge() async throws {
        let (hub, token) = try hub()
        defer { hub.stop() }
        let a = try laptop("a.sqlite", hub, token: token)
        let shared = try addRecord(a, "李娜")
        try await sync(a, hub)
        try copyStore(a.db, directory.file("clone.sqlite"))
        let clone = StationNode(db: directory.file("clone.sqlite"))

        let fromA = try addRecord(a, "赵敏")
        let fromClone = try addRecord(clone, "周芳")
        #expect(try clone.run("record", "edit", shared, "--set", "note=复诊").status == 0)
        try await sync(a, hub)
        let cloneSync = try await sync(clone, hub)
        #expect(cloneSync.stdout.contains("restored or copied"), "\(cloneSync.stdout)")
        try await sync(a, hub)
        #expect(try nodeID(a) != nodeID(clone))

        // A later edit by the clone goes through, and reaches the original.
        #expect(try clone.run("record", "edit", fromA, "--set", "phone=13800002222").status == 0)
        try await sync(clone, hub)
        try await sync(a, hub)

        let atHub = try hubRecords(hub)
        #expect(Set(atHub.keys) == [shared, fromA, fromClone])
        #expect(atHub[shared]?["note"] == "复诊")
        #expect(atHub[fromA]?["phone"] == "13800002222")
        for node in [a, clone] {
            #expect(try records(node) == atHub, "\(node.db) differs from the hub")
        }
        let nodes = try CommandRunner.run("hub", ["station", "list", "--json", "--db", hub.databasePath])
        #expect(nodes.stdout.contains("\"nodes\":2"), "\(nodes.stdout)")
    }
}
