import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel
import SyncClient
import SyncStore

extension Station {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Create this node's store for a station, with a new node id.",
                zh: "为卫生站创建本节点的数据库，并生成新的节点编号。"),
            discussion: tr(
                """
                Two laptops at one clinic each run `init` with the same station id and token: each gets \
                its own node id, and they share the station's data through the hub.

                A hub with a certificate from a private CA needs --ca-file with that CA's certificate. \
                Plain http to another machine is refused unless --allow-http is given (a hub behind a TLS \
                proxy on this LAN, or a test network); http to this machine (127.0.0.1, ::1, localhost) \
                is allowed.

                --encrypt keeps the residents' data, the audit trail's names and the token unreadable \
                without a passphrase, typed twice here (or taken from $HEALTH_SYNC_PASSPHRASE) and asked \
                by every later command. A forgotten passphrase cannot be recovered: init a new file and \
                sync, and everything synced comes back from the hub.

                Examples:
                  station init --station S01 --name "青禾社区卫生服务站" \\
                      --hub https://hub.local:8443 --ca-file district-ca.pem \\
                      --token-file S01.token
                  station init --station S01 --name "青禾社区卫生服务站" \\
                      --hub https://hub.local:8443 --token-file S01.token --encrypt
                """,
                zh: """
                    同一诊所的两台电脑各自用相同的卫生站编号和令牌运行 `init`：
                    各自得到自己的节点编号，通过区平台共享卫生站的数据。

                    区平台的证书由私有 CA 签发时，须用 --ca-file 给出该 CA 的证书。
                    通往另一台机器的明文 http 须加 --allow-http 才接受（区平台在本局域网
                    内终结 TLS 的代理之后，或测试网络）；通往本机（127.0.0.1、::1、
                    localhost）的 http 不受限制。

                    加 --encrypt 后，居民数据、修改记录中的姓名和令牌没有口令就无法读取。
                    口令在这里输入两次（或取自 $HEALTH_SYNC_PASSPHRASE），以后每条命令都会询问。
                    忘记口令无法找回：新建一个数据库并同步，已同步的数据都会从区平台取回。

                    示例：
                      station init --station S01 --name "青禾社区卫生服务站" \\
                          --hub https://hub.local:8443 --ca-file district-ca.pem \\
                          --token-file S01.token
                      station init --station S01 --name "青禾社区卫生服务站" \\
                          --hub https://hub.local:8443 --token-file S01.token --encrypt
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Option(
            help: tr(
                "The station id the hub registered (letters, digits, '-', '_').",
                zh: "区平台登记的卫生站编号（字母、数字、'-'、'_'）。")) var station: String
        @Option(help: tr("The station's name.", zh: "卫生站名称。")) var name: String
        @Option(help: tr("The hub's URL, e.g. https://hub.example:8080.", zh: "区平台的网址，如 https://hub.example:8080。"))
        var hub: String?
        @OptionGroup var tokenInput: TokenInput
        @Option(
            help: ArgumentHelp(
                tr(
                    "A PEM file of CA certificates to trust for the hub's https, remembered for every sync.",
                    zh: "区平台证书的 CA（PEM 文件），每次同步都用。"),
                valueName: "path"))
        var caFile: String?
        @Flag(
            help: tr(
                "Allow plain http to a hub on another machine (behind a TLS proxy on this LAN, or a test network).",
                zh: "允许用明文 http 连接其他机器上的区平台\n（本局域网内有 TLS 代理，或测试网络）。"))
        var allowHTTP = false
        @Flag(
            help: tr(
                "Encrypt the store under a passphrase, asked twice at the terminal or read from $HEALTH_SYNC_PASSPHRASE.",
                zh: "用口令加密数据库（在终端输入两次，\n或取自 $HEALTH_SYNC_PASSPHRASE）。"))
        var encrypt = false

        func run() throws {
            try reporting {
                try Identifiers.validateStation(station, field: "--station")
                if let hub { try HubAddress.checkScheme(hub) }
                try HubAddress.checkOptIn(hub, allowHTTP: allowHTTP)
                let caFile = try caFile.map(HubAddress.checkedCAFile)
                let token = try tokenInput.resolve()
                let path = options.path
                // Refused before a passphrase is asked for.
                if FileManager.default.fileExists(atPath: path) {
                    let store = try ReplicaStore(path: path)
                    defer { store.close() }
                    try refuseIfSetUp(store, path: path)
                }
                let passphrase =
                    encrypt
                    ? try PassphraseInput.new(
                        from: PassphraseInput.variable,
                        prompt: tr("New passphrase for \(path): ", zh: "为 \(path) 设置口令："))
                    : nil
                let folder = (path as NSString).deletingLastPathComponent
                if !folder.isEmpty {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                let store = try ReplicaStore(path: path)
                defer { store.close() }
                // The key goes in before anything secret: nothing is ever written in the clear.
                try store.writeTransaction {
                    try refuseIfSetUp(store, path: path)
                    if let passphrase { try store.encrypt(passphrase: passphrase) }
                    try store.saveStationSettings(
                        StationSettings(
                            station: station, name: name, hubURL: hub, token: token,
                            clerk: options.typedClerk, caFile: caFile, allowHTTP: allowHTTP))
                }
                // The token is a secret: only this user may read the file.
                chmod(path, 0o600)
                print(
                    tr(
                        "initialised station \(station) (\(name)) at \(path), node \(store.nodeID)",
                        zh: "已初始化卫生站 \(station)（\(name)），数据库 \(path)，节点 \(store.nodeID)")
                        + (encrypt ? tr(", encrypted", zh: "，已加密") : ""))
            }
        }

        private func refuseIfSetUp(_ store: ReplicaStore, path: String) throws {
            guard let existing = try store.configuredStation() else { return }
            throw CommandFailure.badInput(
                tr(
                    "\(path) is already set up for station \(existing) (node \(store.nodeID))",
                    zh: "\(path) 已为卫生站 \(existing) 建好（节点 \(store.nodeID)）"))
        }
    }
}
