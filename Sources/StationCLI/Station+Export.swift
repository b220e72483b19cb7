import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel
import SyncStore
import SyncSupport

extension Station {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Write the changes the hub has not acknowledged to a bundle file, for a USB stick.",
                zh: "把区平台未确认的修改写入数据包文件，用 U 盘送交。"),
            discussion: tr(
                """
                The bundle is signed with the station's token; the hub operator imports it with `hub import FILE`.

                Example:
                  station export --to /media/usb/S01-2026-10.bundle
                """,
                zh: """
                    数据包用卫生站的令牌签名；区平台操作员用 `hub import FILE` 导入。

                    示例：
                      station export --to /media/usb/S01-2026-10.bundle
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(tr("The bundle file to write.", zh: "要写入的数据包文件。"), valueName: "file"))
        var to: String

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                guard let token = config.token else {
                    throw CommandFailure.badInput(
                        tr(
                            "no token: set one with `station init --token` to sign bundles",
                            zh: "没有令牌：请用 `station init --token` 设置，才能给数据包签名"))
                }
                let states = try store.pendingStates()
                let body = PushRequest.encode(node: store.nodeID, encodedStates: states)
                let bundle = StationBundle.make(
                    station: config.station, signature: BundleSignature.sign(token: token, body: body), pushBody: body)
                guard FileManager.default.createFile(atPath: to, contents: Data(bundle)) else {
                    throw CommandFailure.badInput(tr("cannot write \(to)", zh: "无法写入 \(to)"))
                }
                print(
                    tr(
                        "wrote \(states.count) change\(states.count == 1 ? "" : "s") to \(to)",
                        zh: "已将 \(states.count) 条修改写入 \(to)"))
            }
        }
    }
}
