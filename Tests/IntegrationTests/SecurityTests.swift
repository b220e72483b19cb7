import Foundation
import Logging
import Synchronization
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

/// Keeps every log line in memory, to show what the hub does not log.
final class CapturedLogs: Sendable {
    let lines = Mutex<[String]>([])

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

@Suite(.serialized) struct SecurityTests {
    @Test func tokensAreStoredOnlyAsHashes() throws {
        let directory = TemporaryDirectory()
        let store = try HubService(path: directory.file("hub.sqlite"))
        let token = try store.addStation(id: "S01", name: "x")
        store.close()
        var bytes = Data()
        for suffix in ["", "-wal"] {
            bytes += (try? Data(contentsOf: URL(fileURLWithPath: directory.file("hub.sqlite" + suffix)))) ?? Data()
        }
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        #expect(bytes.range(of: Data(TokenHash.hash(token).utf8)) != nil)
    }

    @Test func tokenComparisonChecksEveryByte() throws {
        let directory = TemporaryDirectory()
        let store = try HubService(path: directory.file("hub.sqlite"))
        let one = try store.addStation(id: "S01", name: "a")
        let two = try store.addStation(id: "S02", name: "b")
        #expect(try store.authenticate(token: one) == "S01")
        #expect(try store.authenticate(token: two) == "S02")
        var nearMiss = Array(one)
        nearMiss[63] = nearMiss[63] == "0" ? "1" : "0"
        #expect(throws: HubFailure.self) { try store.authenticate(token: String(nearMiss)) }
        #expect(throws: HubFailure.self) { try store.authenticate(token: String(one.dropLast())) }
        #expect(TokenHash.constantTimeEquals("abc", "abc"))
        #expect(!TokenHash.constantTimeEquals("abc", "abd"))
        #expect(!TokenHash.constantTimeEquals("abc", "abcd"))
        store.close()
    }

    @Test func hubLogsNeitherTokensNorRecordContents() async throws {
        let logs = CapturedLogs()
        let hub = try await LiveHub.start(logger: Logger(label: "hub") { _ in CapturedLogs.Handler(sink: logs) })
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        var values = sampleRecord
        values[.name] = "秘密患者姓名"
        values[.note] = "HIV positive, private"
        try store.addRecord(station: "S01", values: values, clerk: "clerk")
        _ = try await sync(directory.file("store.sqlite"), hub: hub, station: "S01")
        _ = try await request(hub, "POST", "/v1/push", token: "wrong-token-value", body: Array("{}".utf8))
        _ = try await request(
            hub, "POST", "/v1/push", token: hub.tokens["S01"], body: Array("{\"node\":\"秘密患者姓名\"}".utf8))
        try await hub.stop()
        let text = logs.text
        #expect(text.contains("push"))
        for secret in [
            hub.tokens["S01"]!, hub.tokens["S02"]!, "wrong-token-value", "秘密患者姓名", "HIV positive", "13800000000",
        ] {
            #expect(!text.contains(secret), "the log contains \(secret)")
        }
    }

    @Test func bundleCannotCarryAnotherStationsEntities() throws {
        let directory = TemporaryDirectory()
        let store = try HubService(path: directory.file("hub.sqlite"))
        let token = try store.addStation(id: "S01", name: "a")
        _ = try store.addStation(id: "S02", name: "b")
        var theirs = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S02")
        theirs.write(
            [.set("name", "x"), .set("sex", "F"), .set("birth", "1990-01-01"), .set("deleted", "false")],
            node: "n1", time: 1, clerk: nil)
        let body = PushRequest.encode(node: "n1", encodedStates: [theirs.encodedJSON()])
        let (_, response) = try store.importBundle(
            StationBundle.make(
                station: "S01", signature: BundleSignature.sign(token: token, body: body), pushBody: body))
        #expect(response.accepted == 0)
        #expect(response.rejected.first?.cause == .forbidden)
        #expect(try store.replica.entity(.record, theirs.id) == nil)
        store.close()
    }
}
