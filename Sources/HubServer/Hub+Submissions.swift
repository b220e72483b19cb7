import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncModel
import SyncStore

extension Hub {
    /// Submit → review → approve → lock: the operator's side.
    struct SubmissionsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submissions",
            abstract: tr(
                "Review the months stations submitted: approve (which locks them), return with a reason, unlock.",
                zh: "审核卫生站提交的月份：审核通过（即锁定）、附原因退回、解锁。"),
            discussion: tr(
                """
                A station submits a month with `station report submit`. An approved month is locked: the station \
                refuses ordinary edits once it knows, and the hub holds any change pushed to it as a late \
                correction (`hub corrections`) for the operator to accept or refuse.
                """,
                zh: """
                    卫生站用 `station report submit` 提交月份。审核通过的月份即锁定：
                    卫生站得知后拒绝普通修改；推送到区平台的修改作为补报暂存
                    （`hub corrections`），由操作员接受或拒绝。
                    """),
            subcommands: [List.self, Approve.self, Return.self, Unlock.self]
        )
    }

    /// A station and a month, as every review command takes them.
    struct StationMonth: ParsableArguments {
        @Argument(help: tr("The station id.", zh: "卫生站编号。")) var station: String
        @Argument(help: tr("The month, YYYY-MM.", zh: "月份，YYYY-MM。")) var period: String

        func month() throws -> Period {
            guard let month = Period(period) else {
                throw CommandFailure.badInput(
                    tr("period: '\(period)' is not a month: use YYYY-MM", zh: "period：'\(period)' 不是月份：请用 YYYY-MM"))
            }
            return month
        }
    }
}

extension Hub.SubmissionsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("Each station's status for a month.", zh: "某月各卫生站的提交状态。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub submissions list --period 2026-10 --db hub.sqlite"
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: tr("The month, YYYY-MM.", zh: "月份，YYYY-MM。")) var period: String
        @Flag(help: tr("Print JSON: [{station, status, updated}].", zh: "输出 JSON：[{station, status, updated}]。"))
        var json = false

        func run() throws {
            try reporting {
                guard let month = Period(period) else {
                    throw CommandFailure.badInput(
                        tr("period: '\(period)' is not a month: use YYYY-MM", zh: "period：'\(period)' 不是月份：请用 YYYY-MM"))
                }
                let hub = try database.open()
                defer { hub.close() }
                let statuses = try hub.store.submissions(period: month.description)
                let byStation = Dictionary(statuses.map { ($0.station, $0) }, uniquingKeysWith: { a, _ in a })
                let stations = try hub.stations().filter { $0.revoked == nil }
                if json {
                    printJSON(
                        .array(
                            stations.map { station in
                                let found = byStation[station.id]
                                return .object([
                                    ("station", .string(station.id)),
                                    ("status", .string(found?.status.rawValue ?? "not submitted")),
                                    ("updated", .string(found.map { Timestamp.text($0.updated) })),
                                ])
                            }))
                    return
                }
                var table = TextTable(headers: [
                    tr("STATION", zh: "卫生站"), tr("NAME", zh: "名称"), tr("STATUS", zh: "状态"), tr("UPDATED", zh: "更新时间"),
                ])
                for station in stations {
                    let found = byStation[station.id]
                    table.add([
                        station.id, station.name, Self.statusName(found?.status),
                        found.map { Timestamp.text($0.updated) } ?? "",
                    ])
                }
                print(table.render())
            }
        }

        static func statusName(_ status: HubStore.SubmissionStatus?) -> String {
            switch status {
            case .submitted?: return tr("submitted, waiting for review", zh: "已提交，待审核")
            case .reviewed?: return tr("approved by the unit, waiting for the district", zh: "镇（街道）已审核，待区审核")
            case .returned?: return tr("returned", zh: "已退回")
            case .approved?: return tr("approved, locked", zh: "已审核通过，已锁定")
            case nil: return tr("not submitted", zh: "未提交")
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Approve a submitted month: first by the station's unit, then by the district, which locks it.",
                zh: "审核通过已提交的月份：先由卫生站所属的镇（街道）审核，再由区审核并锁定。"),
            discussion: tr(
                """
                A station in a township or street unit (`hub station add --unit`) is approved twice: \
                `--level unit` by its unit, then by the district (the default level). A station in no unit is \
                approved by the district alone.

                Examples:
                """,
                zh: """
                    属于镇或街道单位（`hub station add --unit`）的卫生站要审核两次：
                    先用 `--level unit` 由所属单位审核，再由区审核（默认级别）。
                    不属于任何单位的卫生站只由区审核。

                    示例：
                    """)
                + "\n  hub submissions approve S01 2026-10 --level unit --operator 王站长 \\\n      --db hub.sqlite"
                + "\n  hub submissions approve S01 2026-10 --operator 陈主任 --db hub.sqlite"
        )

        @OptionGroup var target: Hub.StationMonth
        @Option(
            help: tr(
                "unit (the township or street) or district (locks the month).", zh: "unit（镇或街道）或 district（区，审核后锁定）。"))
        var level: HubService.ApprovalLevel = .district
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let month = try target.month()
                let hub = try database.open()
                defer { hub.close() }
                try hub.approve(
                    station: target.station, period: month, operator: operatorOption.operatorName, level: level)
                if level == .unit {
                    print(
                        tr(
                            "approved by the unit \(target.station) \(month); the district approves next",
                            zh: "镇（街道）已审核 \(target.station) \(month)；下一步由区审核"))
                } else {
                    print(
                        tr("approved and locked \(target.station) \(month)", zh: "已审核通过并锁定 \(target.station) \(month)"))
                }
            }
        }
    }

    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("Send a submitted month back to the station, with the reason.", zh: "把已提交的月份附原因退回卫生站。"),
            discussion: tr("Example:", zh: "示例：")
                + "\n  hub submissions return S01 2026-10 --reason \"活产数不符\" --db hub.sqlite"
        )

        @OptionGroup var target: Hub.StationMonth
        @Option(help: tr("Why it goes back.", zh: "退回的原因。")) var reason: String
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let month = try target.month()
                let hub = try database.open()
                defer { hub.close() }
                try hub.returnSubmission(
                    station: target.station, period: month, operator: operatorOption.operatorName, reason: reason)
                print(tr("returned \(target.station) \(month)", zh: "已退回 \(target.station) \(month)"))
            }
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("Unlock an approved month, with the reason.", zh: "附原因解锁已审核通过的月份。"),
            discussion: tr("Example:", zh: "示例：")
                + "\n  hub submissions unlock S01 2026-10 --reason \"补录两例\" --db hub.sqlite"
        )

        @OptionGroup var target: Hub.StationMonth
        @Option(help: tr("Why it is unlocked.", zh: "解锁的原因。")) var reason: String
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let month = try target.month()
                let hub = try database.open()
                defer { hub.close() }
                try hub.unlock(
                    station: target.station, period: month, operator: operatorOption.operatorName, reason: reason)
                print(tr("unlocked \(target.station) \(month)", zh: "已解锁 \(target.station) \(month)"))
            }
        }
    }
}

extension HubService.ApprovalLevel: ExpressibleByArgument {}

extension Hub {
    /// Late corrections (补报): changes pushed to a locked month, held for the operator.
    struct CorrectionsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "corrections",
            abstract: tr(
                "Review late corrections: changes to a locked month, held until accepted or refused.",
                zh: "审核补报：对已锁定月份的修改，在接受或拒绝之前暂存。"),
            subcommands: [List.self, Accept.self, Refuse.self]
        )
    }
}

extension Hub.CorrectionsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("List late corrections waiting for a decision.", zh: "列出待处理的补报。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub corrections list --db hub.sqlite --json"
        )

        @OptionGroup var database: DatabaseOption
        @Flag(help: tr("Also those already decided.", zh: "也列出已处理的。")) var all = false
        @Flag(
            help: tr(
                "Print JSON: [{n, station, period, id, value, comment, clerk, received, status, decided_by, reason}].",
                zh: "输出 JSON：[{n, station, period, id, value, comment, clerk, received, status, decided_by, reason}]。"))
        var json = false

        /// Who made the newest write of the held state.
        static func clerk(_ state: EntityState?) -> String? {
            state?.stamps.values.max(by: { $0.time < $1.time })?.clerk
        }

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let corrections = try hub.lateCorrections(pendingOnly: !all)
                let states = corrections.map { try? EntityState.decodeJSON($0.state) }
                if json {
                    printJSON(
                        .array(
                            zip(corrections, states).map { correction, state in
                                .object([
                                    ("n", .int(Int(correction.number))), ("station", .string(correction.station)),
                                    ("period", .string(correction.period)), ("id", .string(correction.id)),
                                    ("value", .string(state?.value("value"))),
                                    ("comment", .string(state?.value("comment"))),
                                    ("clerk", .string(Self.clerk(state))),
                                    ("received", .string(Timestamp.text(correction.received))),
                                    ("status", .string(correction.status)),
                                    ("decided_by", .string(correction.decidedBy)),
                                    ("reason", .string(correction.reason)),
                                ])
                            }))
                    return
                }
                var table = TextTable(headers: [
                    "N", tr("TALLY", zh: "月报数"), tr("VALUE", zh: "数值"), tr("COMMENT", zh: "说明"),
                    tr("CLERK", zh: "录入员"), tr("RECEIVED", zh: "收到时间"), tr("STATUS", zh: "状态"),
                ])
                for (correction, state) in zip(corrections, states) {
                    table.add([
                        String(correction.number), correction.id, state?.value("value") ?? "",
                        state?.value("comment") ?? "", Self.clerk(state) ?? "", Timestamp.text(correction.received),
                        correction.status,
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("Accept a late correction: it is merged, and reaches every laptop.", zh: "接受补报：合并后发往各电脑。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub corrections accept 3 --operator 陈主任 --db hub.sqlite"
        )

        @Argument(help: tr("The correction's number (N in the list).", zh: "补报编号（列表中的 N）。")) var number: Int64
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                try hub.acceptLateCorrection(number, operator: operatorOption.operatorName)
                print(tr("accepted late correction \(number)", zh: "已接受补报 \(number)"))
            }
        }
    }

    struct Refuse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Refuse a late correction, with the reason: the locked figure stays and returns to the laptop.",
                zh: "附原因拒绝补报：保留锁定的数，并发回该电脑。"),
            discussion: tr("Example:", zh: "示例：")
                + "\n  hub corrections refuse 3 --reason \"已核实原数正确\" --db hub.sqlite"
        )

        @Argument(help: tr("The correction's number (N in the list).", zh: "补报编号（列表中的 N）。")) var number: Int64
        @Option(help: tr("Why it is refused.", zh: "拒绝的原因。")) var reason: String
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                try hub.refuseLateCorrection(number, operator: operatorOption.operatorName, reason: reason)
                print(tr("refused late correction \(number)", zh: "已拒绝补报 \(number)"))
            }
        }
    }
}
