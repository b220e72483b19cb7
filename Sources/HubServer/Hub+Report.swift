import ArgumentParser
import Foundation
import HubCore
import Reporting
import SyncModel

extension Hub {
    struct Report: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

        static let configuration = CommandConfiguration(
            abstract: "The district report for a month: each indicator against the plan's target, per station.",
            discussion: """
                District value = sum of numerators / sum of denominators × factor, over stations whose figures are
                complete, out of conflict and within the catalog's error rules; others are listed with flags
                (conflict:, missing:, rule:, warning:) and left out. Completeness = stations that reported / stations
                registered; timeliness = stations whose figures arrived by the reporting day (China time).

                Examples:
                  hub report --period 2026-10 --db hub.sqlite
                  hub report --period 2026-10 --db hub.sqlite --format csv > 2026-10.csv
                  hub report --period 2026-10 --db hub.sqlite --plan xihu-2017 \\
                      --station S01 --format json
                """
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: "The month, YYYY-MM.") var period: String
        @Option(help: "Only this station.") var station: String?
        @Option(help: "The work plan whose targets apply (default: the hub's setting).") var plan: String?
        @Option(help: "table, csv (UTF-8 with BOM) or json.") var format: Format = .table
        @Flag(help: "In the table, list indicators without data too.") var all = false

        func run() throws {
            try reporting {
                let month = try Period.validated(period)
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
            abstract: "Show or change the hub's settings: the plan in force and the reporting day.",
            discussion:
                "Examples:\n  hub settings --db hub.sqlite\n  hub settings --db hub.sqlite --plan xihu-2017 --reporting-day 24"
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: "The work plan whose targets reports use.") var plan: String?
        @Option(help: "The day of the next month by which stations report (1–28).") var reportingDay: Int?

        func run() throws {
            try reporting {
                let catalog = Catalog.builtIn
                let hub = try database.open()
                defer { hub.close() }
                try hub.updateSettings(plan: plan, reportingDay: reportingDay, catalog: catalog)
                print("plan \(try hub.planInForce(catalog))")
                print("reporting day \(try hub.reportingDay(catalog))")
                print("plans: " + catalog.plans.map { "\($0.id) (\($0.nameZH))" }.joined(separator: "; "))
            }
        }
    }
}
