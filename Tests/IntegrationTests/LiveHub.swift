import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
@testable import HubServer
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport
import SyncTestSupport

/// A real hub on 127.0.0.1 and a random port, with its own database in a
/// temp folder, and registered stations.
final class LiveHub: @unchecked Sendable {
    // @unchecked: all stored properties are set once in start() and only read after.
    let directory = TemporaryDirectory()
    /// What `--db` says: the file's path or the PostgreSQL database's URL.
    private(set) var databasePath = ""
    private var drop: (@Sendable () -> Void)?
    private(set) var port = 0
    private(set) var tokens: [String: String] = [:]
    private var group: ServiceGroup?
    private var task: Task<Void, any Error>?

    var url: String { "http://127.0.0.1:\(port)" }

    static func start(stations: [String] = ["S01", "S02"], logger: Logger? = nil, backend: HubBackend = .sqlite)
        async throws -> LiveHub
    {
        let hub = LiveHub()
        // Blocking work off Swift's two-thread pool, which the in-process
        // hubs of the tests running beside this one need.
        try await runOnOwnThread {
            let made = try makeHubDatabase(backend, in: hub.directory)
            hub.databasePath = made.db
            hub.drop = made.drop
            let store = try HubLocation(hub.databasePath).open(schema: Catalog.builtIn.schema)
            defer { store.close() }
            for station in stations {
                hub.tokens[station] = try store.addStation(id: station, name: "Station \(station)")
            }
        }
        let logger =
            logger
            ?? {
                var quiet = Logger(label: "test-hub")
                quiet.logLevel = .critical
                return quiet
            }()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try buildApplication(
            HubConfiguration(databasePath: hub.databasePath, port: 0, schema: Catalog.builtIn.schema), logger: logger
        ) {
            continuation.yield($0)
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        hub.group = group
        hub.task = Task { try await group.run() }
        for await port in ports {
            hub.port = port
            break
        }
        return hub
    }

    func stop() async throws {
        await group?.triggerGracefulShutdown()
        try await task?.value
    }

    deinit { drop?() }

    /// A second connection to the hub's database, as an operator command has.
    func withStore<T>(_ body: (HubService) throws -> T) throws -> T {
        let store = try HubLocation(databasePath).open(schema: Catalog.builtIn.schema)
        defer { store.close() }
        return try body(store)
    }
}

/// Syncs the station store at `path` with the hub, on a thread of its own.
func sync(
    _ path: String, hub: LiveHub, station: String, token: String? = nil, url: String? = nil,
    configure: @escaping @Sendable (inout SyncSession.Options, inout HTTPClientConfiguration) -> Void = { _, _ in }
) async throws -> SyncReport {
    let hubURL = url ?? hub.url
    let token = token ?? hub.tokens[station]!
    return try await runOnOwnThread {
        let store = try ReplicaStore(path: path)
        defer { store.close() }
        var options = SyncSession.Options(hubURL: hubURL, token: token, station: station)
        var configuration = HTTPClientConfiguration()
        configuration.baseDelay = 0.01
        // A link cut on purpose fails the sync at once, so that the test can
        // run the next one; a test of riding out an outage sets its own.
        configuration.outageBudget = 0
        configure(&options, &configuration)
        let session = SyncSession(store: store, client: try HTTPClient(configuration: configuration), options: options)
        return try session.run()
    }
}

/// A raw request to the hub through libcurl, on a thread of its own.
func request(
    _ hub: LiveHub, _ method: String, _ path: String, token: String?, body: [UInt8]? = nil,
    headers: [String: String] = [:]
) async throws -> HTTPClient.Response {
    let url = hub.url + path
    return try await runOnOwnThread {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        var configuration = HTTPClientConfiguration()
        configuration.attempts = 1
        configuration.outageBudget = 0
        return try HTTPClient(configuration: configuration).send(
            HTTPClient.Request(method: method, url: url, headers: all, body: body))
    }
}

/// Everything the hub's store holds, to show that refused input changed nothing.
func hubFingerprint(_ hub: LiveHub) throws -> String {
    try hub.withStore { store in
        try store.store.contentFingerprint()
    }
}
