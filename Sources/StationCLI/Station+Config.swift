import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncModel
import SyncStore
import SyncSupport

extension Station {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Show or change this laptop's hub address, token, CA file and clerk; everything it holds stays.",
                zh: "查看或修改区平台网址、令牌、CA 文件和录入员；已有数据不受影响。"),
            discussion: tr(
                """
                With no option, shows the settings (the token abridged). A new token from `hub station rotate` \
                is best given in a file, so it is not left in the shell's history or seen in the process list.

                --ca-file names the CA certificate every sync trusts for the hub (a private CA); '' forgets \
                it. Plain http to another machine needs --allow-http (a hub behind a TLS proxy on this LAN, \
                or a test network); --no-allow-http withdraws it. --hub-key sets the hub's bundle key, for a \
                laptop that only sends USB bundles (a sync learns it by itself; `hub status` shows it).

                Examples:
                  station config
                  station config --hub https://hub.example:8443
                  station config --ca-file /media/usb/district-ca.pem
                  station config --token-file /media/usb/S01.token
                  station config --clerk 周护士
                """,
                zh: """
                    不带选项时显示当前设置（令牌只显示首尾几位）。`hub station rotate`
                    发放的新令牌最好用文件传入，以免留在命令历史中或被进程列表看到。

                    --ca-file 指定每次同步信任的区平台 CA 证书（私有 CA）；'' 表示不再使用。
                    通往另一台机器的明文 http 须加 --allow-http（区平台在本局域网内终结
                    TLS 的代理之后，或测试网络）；--no-allow-http 撤销。--hub-key 设置
                    区平台的数据包密钥，供只用 U 盘送数据包的电脑使用（同步时会自动获得；
                    `hub status` 会显示）。

                    示例：
                      station config
                      station config --hub https://hub.example:8443
                      station config --ca-file /media/usb/district-ca.pem
                      station config --token-file /media/usb/S01.token
                      station config --clerk 周护士
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Option(help: tr("The hub's URL, e.g. https://hub.example:8443.", zh: "区平台的网址，如 https://hub.example:8443。"))
        var hub: String?
        @OptionGroup var tokenInput: TokenInput
        @Option(
            help: ArgumentHelp(
                tr(
                    "A PEM file of CA certificates to trust for the hub's https, remembered for every sync ('' forgets it).",
                    zh: "区平台证书的 CA（PEM 文件），每次同步都用；\n'' 表示不再使用。"),
                valueName: "path"))
        var caFile: String?
        @Flag(
            inversion: .prefixedNo,
            help: tr(
                "Allow plain http to a hub on another machine (behind a TLS proxy on this LAN, or a test network).",
                zh: "允许用明文 http 连接其他机器上的区平台\n（本局域网内有 TLS 代理，或测试网络）。"))
        var allowHTTP: Bool?
        @Option(
            help: ArgumentHelp(
                tr(
                    "The hub's bundle key (64 hex digits, from `hub status`), for a laptop that never syncs online.",
                    zh: "区平台的数据包密钥（64 位十六进制，见 `hub status`），\n供从不联网同步的电脑使用。"),
                valueName: "key"))
        var hubKey: String?

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                var settings = config.settings
                if let hub {
                    try HubAddress.checkScheme(hub)
                    settings.hubURL = hub
                }
                if let allowHTTP { settings.allowHTTP = allowHTTP }
                // Only what is being changed: showing, or changing the clerk, of
                // a laptop set up before the opt-in existed still works.
                if hub != nil || allowHTTP != nil {
                    try HubAddress.checkOptIn(settings.hubURL, allowHTTP: settings.allowHTTP)
                }
                if let caFile { settings.caFile = caFile.isEmpty ? nil : try HubAddress.checkedCAFile(caFile) }
                if let newToken = try tokenInput.resolve(environment: false) { settings.token = newToken }
                if let clerk = options.typedClerk, options.clerk != nil { settings.clerk = clerk }
                let savedCheckpoint = try store.syncCheckpoint()
                var checkpoint = savedCheckpoint
                if let hubKey {
                    let key = hubKey.lowercased()
                    guard SessionRequest.isPublicKey(key), HubBundleKey.Public(hex: key) != nil else {
                        throw CommandFailure.badInput(
                            tr(
                                "--hub-key must be the 64 hex digits `hub status` shows as the bundle key",
                                zh: "--hub-key 应为 `hub status` 显示的 64 位十六进制数据包密钥"))
                    }
                    checkpoint.hubBundleKey = key
                }
                if settings != config.settings || checkpoint != savedCheckpoint {
                    try store.writeTransaction {
                        try store.saveStationSettings(settings)
                        try store.saveSyncCheckpoint(checkpoint)
                    }
                    print(tr("saved", zh: "已保存"))
                }
                let token = settings.token.map {
                    $0.count > 8 ? String($0.prefix(4)) + "…" + String($0.suffix(4)) : tr("(set)", zh: "（已设置）")
                }
                let none = tr("(none)", zh: "（无）")
                for (label, value) in [
                    (tr("station", zh: "卫生站"), "\(config.station) \(config.name)"),
                    (tr("node", zh: "节点"), store.nodeID),
                    (tr("hub", zh: "区平台"), settings.hubURL ?? none),
                    (tr("token", zh: "令牌"), token ?? none), (tr("clerk", zh: "录入员"), settings.clerk ?? none),
                    (tr("CA file", zh: "CA 文件"), settings.caFile ?? tr("(the system's)", zh: "（系统自带）")),
                    (tr("hub key", zh: "平台密钥"), checkpoint.hubBundleKey ?? none),
                    (
                        "http",
                        settings.allowHTTP
                            ? tr("plain http allowed to other machines", zh: "允许以明文 http 连接其他机器")
                            : tr("plain http to this machine only", zh: "明文 http 仅限本机")
                    ),
                ] {
                    print(DisplayWidth.pad(label, to: 10) + value)
                }
            }
        }
    }
}
