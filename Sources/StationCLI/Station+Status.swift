import ArgumentParser
import OperatorCommands
import Reporting
import SyncModel
import SyncSupport
import SyncStore

extension Station {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Show this node: station, hub, changes waiting to be pushed, last sync, open conflicts.",
                zh: "显示卫生站、区平台、待上传修改、上次同步和未处理冲突。"),
            discussion: tr(
                "Examples:\n  station status\n  station status --json",
                zh: "示例：\n  station status\n  station status --json")
        )

        @OptionGroup var options: StoreOptions
        @Flag(
            help:
                tr(
                    "Print JSON: {node, station, name, hub, pending, last_sync_time, last_sync_result, conflicts, records, tallies, signing_key, encrypted, queued_submissions}.",
                    zh:
                        "以 JSON 输出：{node, station, name, hub, pending, last_sync_time, last_sync_result, conflicts, records, tallies, signing_key, encrypted, queued_submissions}。"
                )
        )
        var json = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let pending = try store.pendingCount()
                let queued = try store.queuedSubmissions().map(\.period.description)
                let conflicts = try store.conflicts().count
                let (records, tallies) = try store.counts()
                let lastTime = config.settings.lastSyncTime.map(Timestamp.text)
                let lastResult = config.settings.lastSyncResult
                // The public half only: what a hub operator registers for a
                // laptop that never syncs online (`hub station node-key`).
                let signingKey = try store.signingKey().flatMap { NodeSigningKey(hex: $0)?.publicKey.hex }
                if json {
                    printJSON(
                        .object([
                            ("node", .string(store.nodeID)), ("station", .string(config.station)),
                            ("name", .string(config.name)),
                            ("hub", .string(config.hub)), ("pending", .int(pending)),
                            ("last_sync_time", .string(lastTime)),
                            ("last_sync_result", .string(lastResult)), ("conflicts", .int(conflicts)),
                            ("records", .int(records)),
                            ("tallies", .int(tallies)), ("signing_key", .string(signingKey)),
                            ("encrypted", .bool(store.isEncrypted)), ("queued_submissions", .strings(queued)),
                        ]))
                    return
                }
                let rows: [(String, String)] = [
                    (tr("station", zh: "卫生站"), "\(config.station) \(config.name)"),
                    (tr("node", zh: "节点"), store.nodeID),
                    (
                        tr("hub", zh: "区平台"),
                        config.hub
                            ?? tr(
                                "(none: set with init or pass --hub to sync)", zh: "（无：用 init 设置，或同步时加 --hub）")
                    ),
                    (tr("waiting to push", zh: "待上传"), String(pending)),
                    (
                        tr("submissions to send", zh: "待送交的提交"),
                        queued.isEmpty ? tr("none", zh: "无") : queued.joined(separator: ", ")
                    ),
                    (
                        tr("last sync", zh: "上次同步"),
                        lastTime.map { "\($0)  \(lastResult ?? "")" } ?? tr("never", zh: "从未同步")
                    ),
                    (tr("open conflicts", zh: "未处理的冲突"), String(conflicts)),
                    (tr("records", zh: "档案"), String(records)),
                    (tr("tallies", zh: "月报数据"), String(tallies)),
                    (
                        tr("encrypted", zh: "加密"),
                        store.isEncrypted
                            ? tr("yes (passphrase)", zh: "是（口令）") : tr("no", zh: "否")
                    ),
                    (
                        tr("signing key", zh: "签名密钥"),
                        signingKey ?? tr("none yet (made at the first sync or export)", zh: "尚无（首次同步或导出时生成）")
                    ),
                ]
                for (label, value) in rows {
                    print(DisplayWidth.pad(label, to: 16) + value)
                }
            }
        }
    }
}
