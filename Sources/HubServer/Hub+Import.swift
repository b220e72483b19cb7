import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import SyncModel

extension Hub {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Merge a bundle a station exported to a USB stick (`station export`).",
                zh: "合并卫生站导出到U盘的数据包（`station export`）。"),
            discussion: tr(
                """
                The bundle must be signed with the station's current token: the same authorisation as a push.

                Example:
                """,
                zh: """
                    数据包必须用该卫生站当前的令牌签名：与上传所需的授权相同。

                    示例：
                    """)
                + "\n  hub import /media/usb/S01-2026-10.bundle --db hub.sqlite"
        )

        @OptionGroup var database: DatabaseOption
        @Argument(help: tr("The bundle file.", zh: "数据包文件。")) var file: String

        func run() throws {
            try reporting {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure.badInput(tr("cannot read \(file)", zh: "无法读取 \(file)"))
                }
                let hub = try database.open()
                defer { hub.close() }
                let imported = try hub.importBundleWithSubmissions([UInt8](data))
                let (station, response) = (imported.station, imported.response)
                for rejection in response.rejected {
                    let kind = rejection.kind ?? ""
                    printError(
                        tr(
                            "refused \(kind) \(rejection.id ?? ""): \(rejection.reason)",
                            zh:
                                "拒收\(EntityKind(rawValue: kind).map(EntityRendering.kindName) ?? kind) \(rejection.id ?? "")：\(rejection.reason)"
                        ))
                }
                print(
                    tr(
                        "imported from \(station): accepted \(response.accepted), changed \(response.stored), new conflicts \(response.conflicts), refused \(response.rejected.count)",
                        zh:
                            "已从 \(station) 导入：接收 \(response.accepted) 条，更改 \(response.stored) 条，新增冲突 \(response.conflicts) 个，拒收 \(response.rejected.count) 条"
                    )
                )
                for period in imported.submitted {
                    print(tr("\(station) submitted \(period) for review", zh: "\(station) 已提交 \(period)，等待审核"))
                }
                for (period, reason) in imported.refusedSubmissions {
                    printError(
                        tr("refused the submission of \(period): \(reason)", zh: "拒收 \(period) 的提交：\(reason)"))
                }
                if !response.rejected.isEmpty || !imported.refusedSubmissions.isEmpty {
                    throw ExitCode.validationFailure
                }
            }
        }
    }
}
