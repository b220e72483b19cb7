import ArgumentParser
import Foundation
import OperatorCommands
import SyncClient
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
                The bundle is sealed so that only the hub can read it, and signed with this laptop's own key; \
                the hub operator imports it with `hub import FILE`. The laptop must have synced online once \
                (or have the hub's key set with `station config --hub-key`).

                Example:
                  station export --to /media/usb/S01-2026-10.bundle
                """,
                zh: """
                    数据包经加密，只有区平台能读取，并用本电脑自己的密钥签名；
                    区平台操作员用 `hub import FILE` 导入。本电脑须已联网同步过
                    一次（或已用 `station config --hub-key` 设置区平台密钥）。

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
                guard let hubKeyHex = try store.syncCheckpoint().hubBundleKey,
                    let hubKey = HubBundleKey.Public(hex: hubKeyHex)
                else {
                    throw CommandFailure.badInput(
                        tr(
                            "the hub's bundle key is not known here yet, so nothing can be sealed for it: sync once over the network, or set it with `station config --hub-key KEY` (the hub operator's `hub status` shows it)",
                            zh:
                                "本机还不知道区平台的数据包密钥，无法加密：请先联网同步一次，或用 `station config --hub-key KEY` 设置（区平台操作员的 `hub status` 会显示）"
                        ))
                }
                let states = try store.pendingStates()
                let body = PushRequest.encode(node: store.nodeID, encodedStates: states)
                // Months submitted without a link travel with the figures.
                let submissions = try store.queuedSubmissions()
                let bundle = try SealedBundle.seal(
                    contents: BundleContents(push: body, submissions: submissions), station: config.station,
                    node: store.nodeID, signingKey: try store.nodeSigningKey(), hubKey: hubKey)
                guard FileManager.default.createFile(atPath: to, contents: Data(bundle)) else {
                    throw CommandFailure.badInput(tr("cannot write \(to)", zh: "无法写入 \(to)"))
                }
                // Written: they leave the queue, so that a later online sync
                // does not submit again a month the district has since returned.
                for submission in submissions { try store.removeQueuedSubmission(submission.period) }
                print(
                    tr(
                        "wrote \(states.count) change\(states.count == 1 ? "" : "s") to \(to)",
                        zh: "已将 \(states.count) 条修改写入 \(to)"))
                for submission in submissions {
                    print(
                        tr(
                            "the submission of \(submission.period) is in the bundle (if the stick is lost, submit again)",
                            zh: "\(submission.period) 的提交已写入数据包（如数据包丢失，请重新提交）"))
                }
            }
        }
    }
}
