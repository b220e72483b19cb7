import Foundation
import Testing
@testable import HubCore
@testable import SyncClient
import SyncModel
import SyncSupport
import SyncTestSupport

/// Every hostile or broken request in Corpus/ gets its expected status and a
/// JSON reason, the hub stays up, and the hub's store is unchanged (SQL-looking
/// values inside valid records are accepted and stored verbatim).
@Suite(.serialized) struct CorpusTests {
    struct Case {
        let file: String, method: String, path: String, token: String, encoding: String, status: Int, reason: String
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    static func cases() throws -> [Case] {
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return manifest.split(separator: "\n").dropFirst().map { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(
                file: columns[0], method: columns[1], path: columns[2], token: columns[3], encoding: columns[4],
                status: Int(columns[5])!, reason: columns[6])
        }
    }

    @Test func corpusHasAtLeastFortyCasesAcrossTheCategories() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 40)
        #expect(Set(cases.map(\.status)).isSuperset(of: [200, 400, 401, 403, 413, 422]))
    }

    @Test(arguments: RouterHub.Backend.allCases)
    func everyBadRequestGets4xxWithAReasonAndChangesNothing(backend: RouterHub.Backend) async throws {
        let hub = try RouterHub(stations: ["S01", "S02", "S03"], backend: backend)
        try await hub.test { client async throws in
            try hub.withStore { try $0.revokeStation(id: "S03") }
            func seed(_ station: String, node: String) -> [UInt8] {
                var state = EntityState(kind: .record, id: Identifiers.newRecordID(), station: station)
                state.write(
                    [.set("name", "种子"), .set("sex", "M"), .set("birth", "1970-01-01")], node: node, time: 1, clerk: nil
                )
                return PushRequest.encode(node: node, encodedStates: [state.encodedJSON()])
            }
            #expect(
                try await client.request("POST", "/v1/push", token: hub.tokens["S01"], body: seed("S01", node: "n1"))
                    .status == 200)
            #expect(
                try await client.request(
                    "POST", "/v1/push", token: hub.tokens["S02"], body: seed("S02", node: "s02-node")
                ).status == 200)

            for item in try Self.cases() {
                let label = "\(item.file) \(item.method) \(item.path)"
                var body: [UInt8]? =
                    item.file == "-" ? nil : Array(try Data(contentsOf: Self.folder.appendingPathComponent(item.file)))
                var headers: [String: String] = [:]
                switch item.encoding {
                case "identity": break
                case "gzip":
                    body = Gzip.compress(body ?? [])
                    headers["Content-Encoding"] = "gzip"
                case "gzip-raw": headers["Content-Encoding"] = "gzip"
                case "huge": body = [UInt8](repeating: UInt8(ascii: " "), count: SyncProtocol.maxBodyBytes + 1)
                default: headers["Content-Encoding"] = item.encoding
                }
                let token: String? =
                    switch item.token {
                    case "none": nil
                    case "bad": String(repeating: "0", count: 64)
                    case "revoked": hub.tokens["S03"]
                    default: hub.tokens[item.token]
                    }
                let before = try hub.fingerprint()
                let response = try await client.request(
                    item.method, item.path, token: token, body: body, headers: headers)
                #expect(response.status == item.status, "\(label): \(SyncSession.errorMessage(response.body))")
                if item.status == 200 {
                    let pushed = try PushRequest.decode(
                        try item.encoding == "gzip" ? Gzip.decompress(body!, limit: 1 << 24) : body!)
                    for case .success(let state) in pushed.entities {
                        #expect(
                            try hub.withStore { try $0.replica.entity(state.kind, state.id) } == state,
                            "\(label) stored verbatim")
                    }
                } else {
                    #expect(
                        SyncSession.errorMessage(response.body).contains(item.reason),
                        "\(label): \(SyncSession.errorMessage(response.body))")
                    #expect(try hub.fingerprint() == before, "\(label) changed the store")
                }
                #expect(
                    try await client.request("GET", "/v1/health", token: nil).status == 200,
                    "\(label) brought the hub down")
            }
        }
    }
}
