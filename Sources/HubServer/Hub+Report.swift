import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncModel

extension Hub {
    struct Report: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

        static let configuration = CommandConfiguration(
            abstract: tr(
                "The district report for a month, quarter or year: each indicator against the plan's target, per station.",
                zh: "月、季或年的全区报表：各项指标与工作计划的目标对照，并分卫生站列出。"),
            discussion: tr(
                """
                District value = sum of numerators / sum of denominators × factor, over stations whose figures are
                complete, out of conflict and within the catalog's error rules; others are listed with flags
                (conflict:, missing:, rule:, warning:) and left out. Completeness = stations that reported / stations
                registered; timeliness = stations whose figures arrived by the reporting day (China time).

                A month or quarter shows the year to date beside it. Counts of events add up over months; stocks and
                year-long coverage take the last month's figure. A yearly target is judged on the year to date
                (a volume against the share of the year gone), never on one month; rates per population per year
                are annualised. --period takes 2026-10, 2026Q4, 2026, or 2026mch (the MCH report year,
                October 2025 to September 2026).

                Examples:
                """,
                zh: """
                    全区数值 = 分子之和 / 分母之和 × 系数，只计入数据完整、
                    没有冲突、且不违反数据项目录错误规则的卫生站；其余卫生站
                    带标记列出（conflict:、missing:、rule:、warning:），
                    不计入全区数值。完整率 = 已上报的卫生站数 / 已登记的卫生站数；
                    及时率 = 在上报日（北京时间）之前送达数据的卫生站所占比例。

                    月报和季报同时列出本年累计。事件数按月相加；存量和全年覆盖
                    人数取最后一个月的数。全年目标按本年累计判断（数量按序时
                    进度），不按单月判断；按人口计的年率折算为全年。--period
                    可为 2026-10、2026Q4、2026 或 2026mch（妇幼年报年度，
                    即 2025年10月至2026年9月）。

                    示例：
                    """)
                    + """

                      hub report --period 2026-10 --db hub.sqlite
                      hub report --period 2026-10 --db hub.sqlite --format csv > 2026-10.csv
                      hub report --period 2026Q4 --db hub.sqlite
                      hub report --period 2026-10 --db hub.sqlite --plan xihu-2017 \\
                          --station S01 --format json
                    """
        )

        @OptionGroup var database: DatabaseOption
        @Option(
            help: tr(
                "2026-10 (a month), 2026Q4, 2026, or 2026mch (MCH year).",
                zh: "2026-10（月）、2026Q4、2026 或 2026mch（妇幼年报年度）。"))
        var period: String
        @Option(help: tr("Only this station.", zh: "只看这个卫生站。")) var station: String?
        @Option(
            help: tr(
                "The work plan whose targets apply (default: the hub's setting).",
                zh: "采用哪个工作计划的目标（默认：区平台的设置）。"))
        var plan: String?
        @Option(help: tr("table, csv (UTF-8 with BOM) or json.", zh: "table、csv（带 BOM 的 UTF-8）或 json。"))
        var format: Format = .table
        @Flag(help: tr("In the table, list indicators without data too.", zh: "表格中也列出没有数据的指标。")) var all = false

        func run() throws {
            try reporting {
                let month = try ReportPeriod.validated(period)
                let hub = try database.open()
                defer { hub.close() }
                let report = try hub.report(period: month, plan: plan, station: station, catalog: Catalog.builtIn)
                switch format {
                case .table: print(report.table(includeEmpty: all))
                case .csv: FileHandle.standardOutput.write(Data(report.csv()))
                case .json: print(report.json().text)
                }
            }
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Show or change the hub's settings: the plan in force and the reporting day.",
                zh: "查看或修改区平台的设置：现行的工作计划和上报日。"),
            discussion: tr("Examples:", zh: "示例：")
                + "\n  hub settings --db hub.sqlite\n  hub settings --db hub.sqlite --plan xihu-2017 --reporting-day 24"
                + "\n  hub settings --db hub.sqlite --unit-review-day 27"
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: tr("The work plan whose targets reports use.", zh: "报表采用哪个工作计划的目标。")) var plan: String?
        @Option(help: tr("The day of the next month by which stations report (1–28).", zh: "卫生站须在次月几日前上报（1–28）。"))
        var reportingDay: Int?
        @Option(
            help: tr(
                "The day of the next month by which township and street units approve their stations' months (1–28; 0 clears it).",
                zh: "镇和街道单位须在次月几日前审核所属卫生站的月份（1–28；0 表示清除）。"))
        var unitReviewDay: Int?

        func run() throws {
            try reporting {
                let catalog = Catalog.builtIn
                let hub = try database.open()
                defer { hub.close() }
                try hub.updateSettings(
                    plan: plan, reportingDay: reportingDay, unitReviewDay: unitReviewDay, catalog: catalog)
                let plan = try hub.planInForce(catalog)
                print(tr("plan \(plan)", zh: "工作计划 \(plan)"))
                let day = try hub.reportingDay(catalog)
                print(tr("reporting day \(day)", zh: "上报日 \(day)"))
                if let unitDay = try hub.store.settings().unitReviewDay {
                    print(tr("units approve by day \(unitDay)", zh: "镇（街道）审核截止日 \(unitDay)"))
                }
                print(
                    tr("plans: ", zh: "可选计划：")
                        + catalog.plans.map { tr("\($0.id) (\($0.nameZH))", zh: "\($0.id)（\($0.nameZH)）") }
                        .joined(separator: tr("; ", zh: "；")))
            }
        }
    }
}
