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
                Prints one line, `listening on http://HOST:PORT` (https with TLS), once the server accepts \
                connections.

                With --tls-cert and --tls-key the hub speaks HTTP/1.1 over TLS 1.2 or later. The certificate \
                file holds the hub's certificate first, then any intermediates; stations trust it through the \
                system's CAs, or through `station config --ca-file` for a private CA. Without them it speaks \
                plain HTTP: keep it on 127.0.0.1 behind a proxy that terminates TLS.

                Examples:
                  hub serve --db hub.sqlite
                  hub serve --db hub.sqlite --host 0.0.0.0 --port 8443 \\
                      --tls-cert /etc/hub/cert.pem --tls-key /etc/hub/key.pem
                  hub serve --db /tmp/test.sqlite --port 0     # any free port
                """,
                zh: """
                    服务开始接受连接时，输出一行 `listening on http://HOST:PORT`
                    （启用 TLS 时为 https；这一行总是英文，供脚本识别）。

                    加 --tls-cert 和 --tls-key 时，区平台以 TLS 1.2 及以上版本提供
                    HTTP/1.1。证书文件先放区平台自己的证书，再放中间证书；卫生站通过
                    系统的 CA，或（私有 CA 时）`station config --ca-file` 信任它。
                    不加时为明文 HTTP：请只监听 127.0.0.1，由前面的代理终结 TLS。

                    示例：
                      hub serve --db hub.sqlite
                      hub serve --db hub.sqlite --host 0.0.0.0 --port 8443 \\
                          --tls-cert /etc/hub/cert.pem --tls-key /etc/hub/key.pem
                      hub serve --db /tmp/test.sqlite --port 0     # 任选空闲端口
                    """)
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: tr("The address to listen on.", zh: "监听的地址。")) var host = "127.0.0.1"
        @Option(help: tr("The port to listen on; 0 picks a free one.", zh: "监听的端口；0 表示任选空闲端口。")) var port = 8080
        @Option(
            help: ArgumentHelp(
                tr(
                    "A PEM file with the hub's TLS certificate (then any intermediates); needs --tls-key.",
                    zh: "区平台的 TLS 证书（PEM，其后可接中间证书）；\n须同时给出 --tls-key。"),
                valueName: "pem"))
        var tlsCert: String?
        @Option(
            help: ArgumentHelp(
                tr(
                    "A PEM file with the certificate's private key (no passphrase); needs --tls-cert.",
                    zh: "证书的私钥（PEM，不带口令）；须同时给出 --tls-cert。"),
                valueName: "pem"))
        var tlsKey: String?

        func validate() throws {
            guard (0...65535).contains(port) else {
                throw ArgumentParser.ValidationError(tr("--port must be from 0 to 65535", zh: "--port 须在 0 到 65535 之间"))
            }
            guard (tlsCert == nil) == (tlsKey == nil) else {
                throw ArgumentParser.ValidationError(
                    tr(
                        "--tls-cert and --tls-key go together: give both for TLS, or neither for plain HTTP",
                        zh: "--tls-cert 与 --tls-key 须同时给出（启用 TLS），或都不给（明文 HTTP）"))
            }
        }

        func run() async throws {
            // Only `hub station add` makes a hub: a mistyped --db is refused here.
            try reporting { try database.open().close() }
            let tls = try reporting {
                try tlsCert.map { try HubTLS.configuration(certificatePath: $0, keyPath: tlsKey ?? "") }
            }
            var logger = Logger(label: "hub")
            logger.logLevel = .info
            let host = host
            let scheme = tls == nil ? "http" : "https"
            let app = try buildApplication(
                HubConfiguration(
                    databasePath: database.path ?? "", host: host, port: port, schema: Catalog.builtIn.schema,
                    tls: tls),
                logger: logger
            ) { port in
                print("listening on \(scheme)://\(host):\(port)")
                fflush(nil)  // all streams: scripts wait for this line
            }
            do {
                try await app.runService()
            } catch let error where tls != nil && HubTLS.isTLSLibraryError(error) {
                printError(
                    tr("Error: ", zh: "错误：")
                        + HubTLS.mismatch(certificatePath: tlsCert ?? "", keyPath: tlsKey ?? "", error: error))
                throw ExitCode.validationFailure
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
