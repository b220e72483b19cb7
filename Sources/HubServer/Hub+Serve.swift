import ArgumentParser
import Hummingbird
import Logging
import NIOCore
import OperatorCommands
import Reporting

#if canImport(Glibc)
    import Glibc
#endif

extension Hub {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the hub's HTTP server until SIGINT or SIGTERM.",
            discussion: """
                Prints one line, `listening on http://HOST:PORT`, once the server accepts connections.

                Examples:
                  hub serve --db hub.sqlite
                  hub serve --db hub.sqlite --host 0.0.0.0 --port 8443
                  hub serve --db /tmp/test.sqlite --port 0     # any free port
                """
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: "The address to listen on.") var host = "127.0.0.1"
        @Option(help: "The port to listen on; 0 picks a free one.") var port = 8080

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        }

        func run() async throws {
            // Only `hub station add` makes a hub: a mistyped --db is refused here.
            try reporting { try database.open().close() }
            var logger = Logger(label: "hub")
            logger.logLevel = .info
            let host = host
            let app = try buildApplication(
                HubConfiguration(
                    databasePath: database.path ?? "", host: host, port: port, schema: Catalog.builtIn.schema),
                logger: logger
            ) { port in
                print("listening on http://\(host):\(port)")
                fflush(nil)  // all streams: scripts wait for this line
            }
            do {
                try await app.runService()
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                printError(
                    "Error: port \(port) on \(host) is in use (another hub?): stop that one, or choose another with --port"
                )
                throw ExitCode(resourceUnusable)
            }
        }
    }
}
