import Foundation
import Testing
@testable import HubCore
@testable import SyncClient
@testable import SyncModel
import SyncSupport
import SyncTestSupport

/// Who may push and pull what, and what the hub does with bad input.
@Suite(.serialized) struct AuthAndInputTests {
    func record(station: String, node: String = "n1", _ extra: [EntityState.Change] = []) -> EntityState {
        var state = EntityState(kind: .record, id: Identifiers.newRecordID(), station: station)
        state.write(
            [.set("name", "王芳"), .set("sex", "F"), .set("birth", "1990-02-03")] + extra, node: node, time: 1, clerk: nil
        )
        return state
    }

    func push(
        _ client: RouteClient, _ hub: RouterHub, _ station: String, node: String = "n1", _ states: [EntityState]
    ) async throws -> RouteResponse {
        let body = PushRequest.encode(node: node, encodedStates: states.map { $0.encodedJSON() })
        return try await client.request("POST", "/v1/push", token: hub.tokens[station], body: body)
    }

    func errorText(_ response: RouteResponse) -> String { SyncSession.errorMessage(response.body) }

    @Test(arguments: RouterHub.Backend.allCases)
    func missingBadAndRevokedTokensGet401(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            let body = PushRequest.encode(node: "n1", encodedStates: [record(station: "S01").encodedJSON()])
            #expect(try await client.request("POST", "/v1/push", token: nil, body: body).status == 401)
            #expect(try await client.request("POST", "/v1/push", token: "0123", body: body).status == 401)
            #expect(try await client.request("GET", "/v1/pull?since=0&node=n1", token: "nope").status == 401)
            #expect(try await client.request("POST", "/v1/push", token: hub.tokens["S01"], body: body).status == 200)
            try hub.withStore { try $0.revokeStation(id: "S01") }
            let revoked = try await client.request("POST", "/v1/push", token: hub.tokens["S01"], body: body)
            #expect(revoked.status == 401)
            #expect(errorText(revoked).contains("revoked"))
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func anotherStationsEntityIsRefusedAndTheRestProceeds(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            let mine = record(station: "S01")
            let theirs = record(station: "S02")
            let response = try await push(client, hub, "S01", [mine, theirs])
            #expect(response.status == 200)
            let result = try PushResponse.decode(response.body)
            #expect(result.accepted == 1)
            let wire = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            #expect((wire?["rejected"] as? [[String: Any]])?.map { $0["status"] as? Int } == [403])
            #expect(result.rejected.first?.index == 1)
            // Alone, it gets a 403 for the request.
            #expect(try await push(client, hub, "S01", [record(station: "S02")]).status == 403)
            #expect(try hub.withStore { try $0.replica.entity(.record, theirs.id) } == nil)
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func pullReturnsOnlyTheStationsOwnEntities(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            _ = try await push(client, hub, "S01", node: "a", [record(station: "S01", node: "a")])
            _ = try await push(
                client, hub, "S02", node: "b", [record(station: "S02", node: "b"), record(station: "S02", node: "b")])
            let response = try await client.request("GET", "/v1/pull?since=0&node=fresh", token: hub.tokens["S02"])
            let page = try PullPage.decode(response.body)
            #expect(page.entities.count == 2)
            #expect(try page.entities.allSatisfy { try $0.get().station == "S02" })
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func nodeIsBoundToItsStationAtFirstContact(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            #expect(
                try await push(client, hub, "S01", node: "laptop", [record(station: "S01", node: "laptop")]).status
                    == 200)
            let stolen = try await push(client, hub, "S02", node: "laptop", [record(station: "S02", node: "laptop")])
            #expect(stolen.status == 403)
            #expect(errorText(stolen).contains("belongs to another station"))
            #expect(!errorText(stolen).contains("S01"), "the owner is told to no one")
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func forgedStampsOfOtherNodesAreRefused(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            // S02's node makes itself known.
            #expect(
                try await push(client, hub, "S02", node: "s02-node", [record(station: "S02", node: "s02-node")]).status
                    == 200)
            let hubNode = try hub.withStore { $0.replica.nodeID }
            // An S01 record claiming writes by the hub and by S02's node that the hub never saw.
            for forger in [hubNode, "s02-node", "never-seen"] {
                var forged = record(station: "S01")
                forged.write([.set("note", "x")], node: forger, time: 2, clerk: nil)
                let before = try hub.fingerprint()
                let response = try await push(client, hub, "S01", [forged])
                #expect(response.status == 403, "stamp of \(forger)")
                #expect(errorText(response).contains("stamp"))
                #expect(try hub.fingerprint() == before)
            }
            // Stamps the hub has seen are fine: an operator edit pulled and carried on.
            let honest = record(station: "S01")
            #expect(try await push(client, hub, "S01", [honest]).status == 200)
            let edited = try hub.withStore {
                try $0.replica.editRecord(id: honest.id, set: [.note: "operator"], clerk: "op")
            }
            var onward = edited
            onward.write([.set("phone", "13600001111")], node: "n1", time: 3, clerk: nil)
            #expect(try await push(client, hub, "S01", [onward]).status == 200)
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func oversizedBodyGets413(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            let body = [UInt8](repeating: UInt8(ascii: " "), count: SyncProtocol.maxBodyBytes + 10)
            let response = try await client.request("POST", "/v1/push", token: hub.tokens["S01"], body: body)
            #expect(response.status == 413)
            // A small gzip body that inflates past the limit too.
            let bomb = Gzip.compress([UInt8](repeating: UInt8(ascii: " "), count: SyncProtocol.maxInflatedBytes + 10))
            let inflated = try await client.request(
                "POST", "/v1/push", token: hub.tokens["S01"], body: bomb,
                headers: ["Content-Encoding": "gzip"])
            #expect(inflated.status == 413)
        }
    }

    @Test(arguments: [
        ("not json at all", 400, "invalid JSON"),
        (#"{"node":"n1","entities":[{"kind":"record""#, 400, "ends too early"),
        (#"{"node":5,"entities":[]}"#, 400, "node must be a string"),
        (#"{"node":"n1","entities":{}}"#, 400, "entities must be an array"),
        (#"{"node":"n1","entities":[{"kind":"patient","id":"x"}]}"#, 422, "unknown entity kind"),
        (
            #"{"node":"n1","entities":[{"kind":"tally","id":"S01/2026-13/LIVE_BIRTHS","station":"S01","clock":{"n1":1},"writes":[["n1",1,0,null]],"fields":{"value":[[0,"3"]],"deleted":[[0,"false"]]}}]}"#,
            422, "not a month"
        ),
        (
            #"{"node":"n1","entities":[{"kind":"tally","id":"S01/2026-10/LIVE_BIRTHS","station":"S01","clock":{"n1":1},"writes":[["n1",1,0,null]],"fields":{"value":[[0,"-3"]],"deleted":[[0,"false"]]}}]}"#,
            422, "negative"
        ),
    ])
    func badInputGets4xxWithAReasonAndChangesNothing(body: String, status: Int, reason: String) async throws {
        let hub = try RouterHub()
        try await hub.test { client async throws in
            _ = try await push(client, hub, "S01", node: "n1", [record(station: "S01", node: "n1")])
            let before = try hub.fingerprint()
            let response = try await client.request(
                "POST", "/v1/push", token: hub.tokens["S01"], body: Array(body.utf8))
            #expect(response.status == status)
            #expect(errorText(response).contains(reason), "\(errorText(response))")
            #expect(try hub.fingerprint() == before)
            #expect(try await client.request("GET", "/v1/health", token: nil).status == 200)
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func badPullParametersGet400(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            let token = hub.tokens["S01"]
            #expect(try await client.request("GET", "/v1/pull?since=abc&node=n1", token: token).status == 400)
            #expect(try await client.request("GET", "/v1/pull?since=-1&node=n1", token: token).status == 400)
            #expect(try await client.request("GET", "/v1/pull?since=0&limit=0&node=n1", token: token).status == 400)
            #expect(try await client.request("GET", "/v1/pull?since=0", token: token).status == 400)
            #expect(try await client.request("GET", "/v1/pull?since=0&node=../../x", token: token).status == 400)
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func aNodeCannotClaimAnotherNodesWriteItDoesNotCarry(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            let original = record(station: "S01", node: "y")
            #expect(try await push(client, hub, "S01", node: "y", [original]).status == 200)
            // x, of the same station, claims y's fifth write without carrying it:
            // taken, it would make the hub drop y's real second write.
            var inflated = original
            inflated.write([.set("note", "x")], node: "x", time: 2, clerk: nil)
            inflated.clock = inflated.clock.setting("y", to: 5)
            let before = try hub.fingerprint()
            let refused = try await push(client, hub, "S01", node: "x", [inflated])
            #expect(refused.status == 403)
            #expect(errorText(refused).contains("stamp y:5"), "\(errorText(refused))")
            #expect(try hub.fingerprint() == before)
            var edit = original
            edit.write([.set("phone", "13700000000")], node: "y", time: 3, clerk: nil)
            #expect(try await push(client, hub, "S01", node: "y", [edit]).status == 200)
            let stored = try hub.withStore { try $0.replica.entity(.record, original.id) }
            #expect(stored?.value("phone") == "13700000000")
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func aPullBindsNoNodeSoNoStationCanSquatAnother(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            // S01's token, the node id of an S02 laptop the hub has not seen yet.
            let pull = try await client.request("GET", "/v1/pull?since=0&node=s02-laptop", token: hub.tokens["S01"])
            #expect(pull.status == 200)
            // An empty push binds nothing either.
            let empty = PushRequest.encode(node: "s02-laptop", encodedStates: [])
            #expect(try await client.request("POST", "/v1/push", token: hub.tokens["S01"], body: empty).status == 200)
            #expect(
                try await push(client, hub, "S02", node: "s02-laptop", [record(station: "S02", node: "s02-laptop")])
                    .status == 200)
            // Now bound to S02: S01 may neither push nor pull as that node.
            let stolen = try await client.request("GET", "/v1/pull?since=0&node=s02-laptop", token: hub.tokens["S01"])
            #expect(stolen.status == 403)
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func aFullLastPageSaysNoMorePagesFollow(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            let states = (0..<4).map { _ in record(station: "S01", node: "a") }
            #expect(try await push(client, hub, "S01", node: "a", states).status == 200)
            let first = try PullPage.decode(
                try await client.request("GET", "/v1/pull?since=0&limit=2&node=b", token: hub.tokens["S01"]).body)
            #expect(first.entities.count == 2 && first.more)
            let last = try PullPage.decode(
                try await client.request("GET", "/v1/pull?since=\(first.next)&limit=2&node=b", token: hub.tokens["S01"])
                    .body)
            #expect(last.entities.count == 2)
            #expect(!last.more)
        }
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func anUnknownPathGets404WithAJSONReason(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(backend: backend)
        try await hub.test { client async throws in
            let response = try await client.request("GET", "/v1/nothing-here", token: hub.tokens["S01"])
            #expect(response.status == 404)
            #expect(errorText(response).contains("no such endpoint"), "\(errorText(response))")
        }
    }
}
