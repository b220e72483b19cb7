import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncModel

extension Hub {
    /// The district's yearly volumes split across its units (任务分解).
    struct QuotaCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "quota",
            abstract: tr(
                "Split a yearly volume across the township or street units: each is judged on its own share.",
                zh: "把全年任务量分解到各镇或街道单位：各单位按自己的任务量评价。"),
            subcommands: [SetQuota.self, List.self]
        )
    }
}

extension Hub.QuotaCommand {
    struct SetQuota: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: tr(
                "Set a unit's share of an indicator's yearly volume, replacing the one it had.",
                zh: "设定某单位在某指标全年任务量中的份额，替换原有的份额。"),
            discussion: tr(
                """
                Only volumes are split: counts, and task completions (任务完成率) whose figure is the work done. \
                A month or quarter report judges the unit on schedule: the quota × months gone / 12 must be done.

                Example:
                """,
                zh: """
                    只有任务量可以分解：计数指标，以及按完成数计的任务完成率。
                    月报和季报按序时进度评价该单位：应完成任务量 × 已过月数 / 12。

                    示例：
                    """)
                + "\n  hub quota set CERVICAL_CANCER_HPV_SCREENING_COMPLETION_RATE \\\n      --unit T01 --year 2026 1200 --db hub.sqlite"
        )

        @Argument(help: tr("The indicator's code (or Chinese name).", zh: "指标代码（或中文名称）。"))
        var indicator: String
        // Every word the parser does not know lands here, so that a negative
        // figure (-5) reaches the quota check and its message instead of
        // being taken for an option.
        @Argument(
            parsing: .allUnrecognized,
            help: ArgumentHelp(tr("The unit's yearly quota, a whole number.", zh: "该单位的全年任务量，整数。"), valueName: "value"))
        var value: [String] = []
        @Option(help: tr("The unit id (see `hub unit list`).", zh: "单位编号（见 `hub unit list`）。")) var unit: String
        @Option(help: tr("The year the quota is for.", zh: "任务量所属的年份。")) var year: Int
        @OptionGroup var database: DatabaseOption
        @OptionGroup var operatorOption: OperatorOption

        func run() throws {
            let quota = try reporting {
                guard value.count == 1 else {
                    throw HubFailure.badRequest(
                        value.isEmpty
                            ? tr(
                                "give the quota after the indicator, e.g. `hub quota set \(indicator) --unit \(unit) --year \(year) 1200`",
                                zh: "请在指标之后给出任务量，例如 `hub quota set \(indicator) --unit \(unit) --year \(year) 1200`")
                            : tr(
                                "give one quota, not \(value.joined(separator: " "))",
                                zh: "只能给一个任务量，而不是 \(value.joined(separator: " "))"))
                }
                let hub = try database.open()
                defer { hub.close() }
                return try hub.setQuota(
                    indicator: indicator, unit: unit, year: year, value: value[0], by: operatorOption.operatorName,
                    catalog: .builtIn)
            }
            print(
                tr(
                    "\(quota.unit)'s \(quota.year) quota of \(quota.indicator) is now \(quota.value)",
                    zh: "\(quota.unit) \(quota.year) 年 \(quota.indicator) 任务量已设为 \(quota.value)"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("List the units' quotas.", zh: "列出各单位的任务量。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub quota list --year 2026 --db hub.sqlite --json"
        )

        @Option(help: tr("Only this year's quotas.", zh: "只列出这一年的任务量。")) var year: Int?
        @OptionGroup var database: DatabaseOption
        @Flag(
            help: tr(
                "Print JSON: an array of {indicator, unit, year, value, set_by, set_at}.",
                zh: "输出 JSON 数组：每项含 indicator、unit、year、value、set_by、set_at。"))
        var json = false

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let quotas = try hub.quotas(year: year)
                if json {
                    printJSON(
                        .array(
                            quotas.map { quota in
                                .object([
                                    ("indicator", .string(quota.indicator)), ("unit", .string(quota.unit)),
                                    ("year", .int(quota.year)), ("value", .int(quota.value)),
                                    ("set_by", .string(quota.setBy)), ("set_at", .string(Timestamp.text(quota.setAt))),
                                ])
                            }))
                    return
                }
                let names = Dictionary(
                    Catalog.builtIn.indicators.map { ($0.code, $0.nameZH) }, uniquingKeysWith: { a, _ in a })
                var table = TextTable(
                    headers: [
                        tr("YEAR", zh: "年份"), tr("INDICATOR", zh: "指标代码"), tr("NAME", zh: "指标名称"),
                        tr("UNIT", zh: "单位"), tr("QUOTA", zh: "任务量"), tr("SET BY", zh: "设定人"),
                        tr("SET AT", zh: "设定时间"),
                    ], alignRight: [4])
                for quota in quotas {
                    table.add([
                        String(quota.year), quota.indicator, names[quota.indicator] ?? "", quota.unit,
                        String(quota.value), quota.setBy ?? "", Timestamp.text(quota.setAt),
                    ])
                }
                print(table.render())
            }
        }
    }
}
