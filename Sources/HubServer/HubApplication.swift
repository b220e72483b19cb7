import Hummingbird
import HummingbirdTLS
import Logging
import SyncModel

/// How to run a hub.
struct HubConfiguration: Sendable {
    /// What `--db` says: an SQLite file's path or a `postgres://` URL.
    var databasePath: String
    var host = "127.0.0.1"
    /// 0 picks a free port.
    var port = 8080
    var schema = EntitySchema()
    /// HTTP/1.1 over TLS with this configuration; nil for plain HTTP.
    var tls: TLSConfiguration?
}

/// The hub's router over its database: what `buildApplication` serves, and
/// what route tests drive in-process.
func buildRouter(_ configuration: HubConfiguration, logger: Logger) throws -> Router<HubRequestContext> {
    let location = try HubLocation(configuration.databasePath)
    let schema = configuration.schema
    let database = try HubDatabase(schema: schema, checkpoints: location.isFile, readers: location.readers) {
        try location.open(schema: schema)
    }
    let epoch = try database.startServing(location, logger: logger)
    logger.info("hub started", metadata: ["epoch": .string(epoch)])
    let router = Router(context: HubRequestContext.self)
    HubRoutes(database: database, logger: logger).register(on: router)
    return router
}

/// Builds the hub application; `hub serve` and the tests both use it.
/// `onRunning` receives the bound port once the server listens.
func buildApplication(
    _ configuration: HubConfiguration, logger: Logger = Logger(label: "hub"),
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let router = try buildRouter(configuration, logger: logger)
    return Application(
        router: router,
        server: try configuration.tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "health-sync-hub"),
        onServerRunning: { channel in
            await onRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}
