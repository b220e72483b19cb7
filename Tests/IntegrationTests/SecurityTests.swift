import CCrypto
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

    @Test func tokenIsCheckedOnEveryByteAndFoundThroughAnIndex() throws {
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
        try store.revokeStation(id: "S02")
        #expect(throws: HubFailure.self) { try store.authenticate(token: two) }
        // One row read per request, not one per station (2,000 in a province).
        let plan = try store.store.database.rows(
            "EXPLAIN QUERY PLAN " + HubStore.stationsByTokenHash, [.text(TokenHash.hash(one))]
        ) { $0.text(3) ?? "" }
        #expect(plan.contains { $0.contains("USING INDEX stations_token_hash") }, "\(plan)")
        store.close()
    }

    @Test func hubLogsNeitherTokensNorRecordContents() async throws {
        let logs = CapturedLog()
        let hub = try await LiveHub.start(logger: logs.logger(label: "hub"))
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

    /// A station's node as the hub knows it after an online handshake: its
    /// signing key learned, the hub's bundle key handed out.
    func handshake(_ store: HubService, station: String, node: String, key: NodeSigningKey) throws
        -> HubBundleKey.Public
    {
        let answer = try store.session(
            station: station,
            SessionRequest(
                node: node, current: nil, next: Identifiers.newToken30(), epoch: nil, cursor: 0,
                signingKey: key.publicKey.hex))
        let hex = try #require(answer.bundleKey)
        return try #require(HubBundleKey.Public(hex: hex))
    }

    @Test func bundleCannotCarryAnotherStationsEntities() throws {
        let directory = TemporaryDirectory()
        let store = try HubService(path: directory.file("hub.sqlite"))
        _ = try store.addStation(id: "S01", name: "a")
        _ = try store.addStation(id: "S02", name: "b")
        let key = NodeSigningKey()
        let hubKey = try handshake(store, station: "S01", node: "n1", key: key)
        var theirs = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S02")
        theirs.write(
            [.set("name", "x"), .set("sex", "F"), .set("birth", "1990-01-01"), .set("deleted", "false")],
            node: "n1", time: 1, clerk: nil)
        let body = PushRequest.encode(node: "n1", encodedStates: [theirs.encodedJSON()])
        let (_, response) = try store.importBundle(
            SealedBundle.seal(
                contents: BundleContents(push: body, submissions: []), station: "S01", node: "n1", signingKey: key,
                hubKey: hubKey))
        #expect(response.accepted == 0)
        #expect(response.rejected.first?.cause == .forbidden)
        #expect(try store.replica.entity(.record, theirs.id) == nil)
        store.close()
    }

    @Test func aBundleCarriesTheMonthsSubmittedOfflineAndAFormatTwoBundleIsStillRead() throws {
        let directory = TemporaryDirectory()
        let store = try HubService(path: directory.file("hub.sqlite"))
        _ = try store.addStation(id: "S01", name: "a")
        let key = NodeSigningKey()
        let hubKey = try handshake(store, station: "S01", node: "n1", key: key)
        var tally = EntityState(kind: .tally, id: "S01/2026-10/LIVE_BIRTHS", station: "S01")
        tally.write([.set("value", "10"), .set("deleted", "false")], node: "n1", time: 1, clerk: nil)
        let body = PushRequest.encode(node: "n1", encodedStates: [tally.encodedJSON()])
        let october = Period(year: 2026, month: 10)
        let bundle = try SealedBundle.seal(
            contents: BundleContents(
                push: body,
                submissions: [
                    SubmitRequest(period: october, explanation: "双胎"),
                    SubmitRequest(period: Period(year: 2026, month: 9), explanation: nil),
                ]),
            station: "S01", node: "n1", signingKey: key, hubKey: hubKey)
        // Nothing of the submissions shows outside the seal.
        #expect(!String(decoding: bundle, as: UTF8.self).contains("2026-10"))
        let imported = try store.importBundleWithSubmissions(bundle)
        #expect(imported.response.accepted == 1)
        #expect(imported.submitted == [october, Period(year: 2026, month: 9)])
        #expect(try store.store.submissionStatus(station: "S01", period: "2026-10") == .submitted)
        #expect(try store.store.submissionEvents(station: "S01", period: "2026-10").first?.reason == "双胎")

        // Approved, then the same bundle again: the figures change nothing,
        // the submission is refused with the reason, and the lock holds.
        try store.approve(station: "S01", period: october, operator: "陈主任")
        let again = try store.importBundleWithSubmissions(bundle)
        #expect(again.submitted == [Period(year: 2026, month: 9)])
        #expect(again.refusedSubmissions.first?.period == october)
        #expect(again.refusedSubmissions.first?.reason.contains("approved") == true)
        #expect(try store.store.submissionStatus(station: "S01", period: "2026-10") == .approved)

        // A stick written by the previous version (format 2, the push alone) still goes in.
        var later = tally
        later.write([.set("value", "11")], node: "n1", time: 2, clerk: nil)
        let formatTwo = try SealedBundle.seal(
            body: PushRequest.encode(node: "n1", encodedStates: [later.encodedJSON()]), format: "health-sync-bundle/2",
            station: "S01", node: "n1", signingKey: key, hubKey: hubKey)
        #expect(String(decoding: formatTwo, as: UTF8.self).contains("health-sync-bundle/2"))
        let old = try store.importBundleWithSubmissions(formatTwo)
        #expect(old.response.accepted == 1 && old.submitted.isEmpty)
        store.close()
    }

    @Test func everythingInTheHubDatabaseIsNotEnoughToForgeABundle() throws {
        // An attacker with a copy of hub.sqlite (a leaked backup): token
        // hashes, the hub's own keys, every node's public key. The old format
        // (HMAC keyed with the token hash) and a bundle signed with any key
        // they can make are both refused, and nothing changes.
        let directory = TemporaryDirectory()
        let store = try HubService(path: directory.file("hub.sqlite"))
        _ = try store.addStation(id: "S02", name: "b")
        let laptop = NodeSigningKey()
        let hubKey = try handshake(store, station: "S02", node: "n2", key: laptop)
        var record = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S02")
        record.write(
            [.set("name", "改名"), .set("sex", "F"), .set("birth", "1990-01-01"), .set("deleted", "false")],
            node: "n2", time: 1, clerk: nil)
        let body = PushRequest.encode(node: "n2", encodedStates: [record.encodedJSON()])
        let before = try store.store.contentFingerprint()

        // 1. The old format, signed as the old code did with what the database holds.
        let tokenHash = try #require(try store.store.activeTokenHash(station: "S02"))
        var hmac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let hashBytes = Array(tokenHash.utf8)
        _ = HMAC(EVP_sha256(), hashBytes, Int32(hashBytes.count), body, body.count, &hmac, &length)
        let oldFormat =
            Array("{\"format\":\"health-sync-bundle/1\",\"station\":\"S02\",\"signature\":\"".utf8)
            + Array(TokenHash.hex(hmac).utf8) + Array("\",\"push\":".utf8) + body + Array("}".utf8)
        #expect(throws: HubFailure.self) { try store.importBundle(oldFormat) }

        // 2. Sealed to the hub (its public key is no secret) and signed with a key of their own.
        let forged = try SealedBundle.seal(
            contents: BundleContents(push: body, submissions: []), station: "S02", node: "n2",
            signingKey: NodeSigningKey(), hubKey: hubKey)
        #expect {
            try store.importBundle(forged)
        } throws: { error in
            (error as? HubFailure).map { $0.message.contains("signature") } ?? false
        }
        // 3. Under a node id the hub has never seen, with the attacker's key.
        let unknownNode = try SealedBundle.seal(
            contents: BundleContents(
                push: PushRequest.encode(node: "n9", encodedStates: [record.encodedJSON()]), submissions: []),
            station: "S02",
            node: "n9", signingKey: NodeSigningKey(), hubKey: hubKey)
        #expect(throws: HubFailure.self) { try store.importBundle(unknownNode) }
        #expect(try store.store.contentFingerprint() == before)
        #expect(try store.replica.entity(.record, record.id) == nil)

        // The laptop's own bundle goes in.
        let genuine = try SealedBundle.seal(
            contents: BundleContents(push: body, submissions: []), station: "S02", node: "n2", signingKey: laptop,
            hubKey: hubKey)
        #expect(try store.importBundle(genuine).response.accepted == 1)
        store.close()
    }
}
