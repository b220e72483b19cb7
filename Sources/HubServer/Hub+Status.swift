import ArgumentParser
import HubCore
import OperatorCommands
import SyncModel

extension Hub {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Show the hub: stations, conflicts, server starts, and any trip back in time (a restored backup).",
                zh: "查看区平台概况：卫生站、冲突、服务启动次数，以及是否回退过（从备份恢复）。"),
            discussion: tr(
                """
                When the hub's file was restored from a backup, the first laptop of each station to sync finds it,
                sends everything it holds again and is listed here. Changes that existed only at the hub (for
                example an operator's resolution no laptop had pulled yet) cannot come back.

                Examples:
                """,
                zh: """
                    区平台的数据库文件从备份恢复后，各卫生站第一台来同步的电脑会
                    发现这一情况，重新上传它保存的全部数据，并在这里列出。
                    只存在于区平台上的修改（例如还没有电脑下载的、操作员处理冲突
                    的结果）无法找回。

                    示例：
                    """)
                + "\n  hub status --db hub.sqlite\n  hub status --db hub.sqlite --json"
        )

        @OptionGroup var database: DatabaseOption
        @Flag(
            help: tr(
                "Print JSON: {stations, conflicts, starts, bundle_key, rollbacks: [{detected, node, station, feed_end, node_cursor}]}.",
                zh: "输出 JSON：stations、conflicts、starts、bundle_key、rollbacks（回退记录）。"
            )
        )
        var json = false

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let stations = try hub.stations().filter { $0.revoked == nil }.count
                let conflicts = try hub.replica.conflicts().count
                let starts = try hub.store.incarnations()
                let rollbacks = try hub.store.rollbacks()
                // What a station that never syncs online needs for USB bundles
                // (`station config --hub-key`); made here if the hub has none yet.
                let bundleKey = (try? hub.bundleKey())?.publicKey.hex
                if json {
                    printJSON(
                        .object([
                            ("stations", .int(stations)), ("conflicts", .int(conflicts)),
                            ("starts", .int(starts.count)), ("bundle_key", .string(bundleKey)),
                            (
                                "rollbacks",
                                .array(
                                    rollbacks.map { found in
                                        .object([
                                            ("detected", .string(Timestamp.text(found.detected))),
                                            ("node", .string(found.node)), ("station", .string(found.station)),
                                            ("feed_end", found.feedEnd.map { .int($0) } ?? .null),
                                            ("node_cursor", .int(found.nodeCursor)),
                                        ])
                                    })
                            ),
                        ]))
                    return
                }
                print(
                    tr(
                        "stations \(stations), open conflicts \(conflicts), server starts \(starts.count)",
                        zh: "卫生站 \(stations) 个，未处理的冲突 \(conflicts) 个，服务启动 \(starts.count) 次"))
                if let bundleKey { print(tr("bundle key \(bundleKey)", zh: "数据包密钥 \(bundleKey)")) }
                if rollbacks.isEmpty {
                    print(tr("no trip back in time found", zh: "未发现回退"))
                    return
                }
                print(
                    tr(
                        "the hub went back in time (restored from a backup); laptops that found it sent again what they held:",
                        zh: "区平台曾经回退（从备份恢复）；发现这一情况的电脑已重新上传各自保存的数据："
                    )
                )
                for found in rollbacks {
                    let lost: String =
                        found.feedEnd.map { end in
                            tr(
                                "up to \(found.nodeCursor - end) changes it had read were gone",
                                zh: "它已读取的修改中，最多有 \(found.nodeCursor - end) 条已不在区平台上")
                        }
                        ?? tr(
                            "the hub did not know the server start it had last synced with",
                            zh: "区平台不认识它上次同步时的那次服务启动")
                    let time = Timestamp.text(found.detected)
                    print(
                        tr(
                            "  \(time)  station \(found.station), node \(found.node): \(lost)",
                            zh: "  \(time)  卫生站 \(found.station)，节点 \(found.node)：\(lost)"))
                }
                print(
                    tr(
                        "changes that existed only here (not yet pulled by any laptop) cannot come back",
                        zh: "只存在于区平台上的修改（还没有电脑下载过的）无法找回"))
            }
        }
    }
}
