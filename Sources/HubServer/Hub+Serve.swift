import ArgumentParser
import Hummingbird
import Logging
import NIOCore
import OperatorCommands
import Reporting
import SyncModel

#if canImport(Glibc)
    import Glibc
#endif

extension Hub {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Run the hub's HTTP server until SIGINT or SIGTERM.",
                zh: "运行区平台的 HTTP 服务，直到收到 SIGINT 或 SIGTERM。"),
            discussion: tr(
                """
                Prints one line, `listening on http://HOST:PORT`, once the server accepts connections.

                Examples:
                  hub serve --db hub.sqlite
                  hub serve --db hub.sqlite --host 0.0.0.0 --port 8443
                  hub serve --db /tmp/test.sqlite --port 0     # any free port
                """,
                zh: """
                    服务开始接受连接时，输出一行 `listening on http://HOST:PORT`
                    （这一行总是英文，供脚本识别）。

                    示例：
                      hub serve --db hub.sqlite
                      hub serve --db hub.sqlite --host 0.0.0.0 --port 8443
                      hub serve --db /tmp/test.sqlite --port 0     # 任选空闲端口
                    """)
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: tr("The address to listen on.", zh: "监听的地址。")) var host = "127.0.0.1"
        @Option(help: tr("The port to listen on; 0 picks a free one.", zh: "监听的端口；0 表示任选空闲端口。")) var port = 8080

        func validate() throws {
            guard (0...65535).contains(port) else {
                throw ArgumentParser.ValidationError(tr("--port must be from 0 to 65535", zh: "--port 须在 0 到 65535 之间"))
            }
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
                    tr(
                        "Error: port \(port) on \(host) is in use (another hub?): stop that one, or choose another with --port",
                        zh: "错误：\(host) 上的端口 \(port) 已被占用（另一个区平台？）：请先停掉它，或用 --port 另选端口"
                    )
                )
                throw ExitCode(resourceUnusable)
            }
        }
    }
}
