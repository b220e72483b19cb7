import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncModel
import SyncStore

extension Station {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Show or change this laptop's hub address, token and clerk; everything it holds stays.",
                zh: "查看或修改区平台网址、令牌和录入员；已有数据不受影响。"),
            discussion: tr(
                """
                With no option, shows the settings (the token abridged). A new token from `hub station rotate` is
                best given in a file, so it is not left in the shell's history or seen in the process list.

                Examples:
                  station config
                  station config --hub https://hub.example:8443
                  station config --token-file /media/usb/S01.token
                  station config --clerk 周护士
                """,
                zh: """
                    不带选项时显示当前设置（令牌只显示首尾几位）。`hub station rotate`
                    发放的新令牌最好用文件传入，以免留在命令历史中或被进程列表看到。

                    示例：
                      station config
                      station config --hub https://hub.example:8443
                      station config --token-file /media/usb/S01.token
                      station config --clerk 周护士
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Option(help: tr("The hub's URL, e.g. https://hub.example:8443.", zh: "区平台的网址，如 https://hub.example:8443。"))
        var hub: String?
        @OptionGroup var tokenInput: TokenInput

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                var settings = config.settings
                if let hub {
                    guard hub.hasPrefix("http://") || hub.hasPrefix("https://") else {
                        throw CommandFailure.badInput(
                            tr(
                                "--hub must start with http:// or https://, not '\(hub)'",
                                zh: "--hub 必须以 http:// 或 https:// 开头，而不是 '\(hub)'"))
                    }
                    settings.hubURL = hub
                }
                if let newToken = try tokenInput.resolve(environment: false) { settings.token = newToken }
                if let clerk = options.typedClerk, options.clerk != nil { settings.clerk = clerk }
                if settings != config.settings {
                    try store.saveStationSettings(settings)
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
                ] {
                    print(DisplayWidth.pad(label, to: 10) + value)
                }
            }
        }
    }
}
