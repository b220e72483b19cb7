import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Reporting
import SyncStore
import SyncTestSupport

@testable import HubCore
@testable import HubServer

/// The hub's router driven in this process through HummingbirdTesting's
/// `.router` framework: no socket, no libcurl, its own database in a temp
/// folder and registered stations. For what a route decides (auth, limits,
/// refusals); what needs a real socket stays in IntegrationTests.
final class RouterHub: Sendable {
    /// Where a test's hub keeps its data: every route behaves the same on both.
    typealias Backend = HubBackend

    let directory = TemporaryDirectory()
    let tokens: [String: String]
    /// What `--db` would say: the file's path or the database's URL.
    let databasePath: String
    private let drop: (@Sendable () -> Void)?

    init(stations: [String] = ["S01", "S02"], backend: Backend = .sqlite) throws {
        (databasePath, drop) = try makeHubDatabase(backend, in: directory)
        let hub = try HubLocation(databasePath).open(schema: Catalog.builtIn.schema)
        defer { hub.close() }
        var tokens: [String: String] = [:]
        for station in stations {
            tokens[station] = try hub.addStation(id: station, name: "Station \(station)")
        }
        self.tokens = tokens
    }

    /// Runs `body` with a client of a fresh router over this hub's database.
    func test<T: Sendable>(_ body: @Sendable (RouteClient) async throws -> T) async throws -> T {
        var logger = Logger(label: "route-test")
        logger.logLevel = .critical
        let router = try buildRouter(
            HubConfiguration(databasePath: databasePath, port: 0, schema: Catalog.builtIn.schema), logger: logger)
        let app = Application(router: router, logger: logger)
        return try await app.test(.router) { client in try await body(RouteClient(client: client)) }
    }

    /// A second connection to the hub's database, as an operator command has.
    func withStore<T>(_ body: (HubService) throws -> T) throws -> T {
        let hub = try HubLocation(databasePath).open(schema: Catalog.builtIn.schema)
        defer { hub.close() }
        return try body(hub)
    }

    deinit { drop?() }

    /// Everything the hub's file holds, to show that refused input changed nothing.
    func fingerprint() throws -> String {
        try withStore { try $0.store.contentFingerprint() }
    }
}

/// An answer: its status code and body bytes.
struct RouteResponse: Sendable {
    let status: Int
    let body: [UInt8]
    var retryAfter: String? = nil
}

/// Sends requests to the router under test.
struct RouteClient: Sendable {
    let client: any TestClientProtocol

    func request(
        _ method: String, _ path: String, token: String?, body: [UInt8]? = nil, headers: [String: String] = [:]
    ) async throws -> RouteResponse {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        for (name, value) in headers {
            // The tests send only this one; another name is a mistake in the test.
            precondition(name == "Content-Encoding", "RouteClient sends Content-Encoding only, not \(name)")
            fields[.contentEncoding] = value
        }
        let response = try await client.execute(
            uri: path, method: HTTPRequest.Method(rawValue: method)!, headers: fields,
            body: body.map { ByteBuffer(bytes: $0) })
        var buffer = response.body
        return RouteResponse(
            status: response.status.code, body: buffer.readBytes(length: buffer.readableBytes) ?? [],
            retryAfter: response.headers[.retryAfter])
    }
}
