import Reporting
import SyncModel
import SyncStore
import SyncSupport

/// The operator's work: settings, bundles brought on a USB stick, reports.
extension HubService {
    /// The plan whose targets reports use, unless a report names another.
    public func planInForce(_ catalog: Catalog) throws -> String {
        try store.settings().plan ?? catalog.defaultPlan
    }

    /// The day of the next month by which stations report.
    public func reportingDay(_ catalog: Catalog) throws -> Int {
        try store.settings().reportingDay ?? catalog.reportingDay
    }

    /// Changes the plan in force and the reporting day (nil keeps one as it is).
    /// `unitReviewDay`: the day of the next month by which township and
    /// street units approve their stations' months (0 clears it).
    public func updateSettings(plan: String?, reportingDay: Int?, unitReviewDay: Int? = nil, catalog: Catalog) throws {
        if let plan { try Self.checkPlan(plan, catalog) }
        if let reportingDay, !(1...28).contains(reportingDay) {
            throw HubFailure.badRequest(tr("--reporting-day must be from 1 to 28", zh: "--reporting-day 应为 1 到 28"))
        }
        if let unitReviewDay, !(0...28).contains(unitReviewDay) {
            throw HubFailure.badRequest(
                tr("--unit-review-day must be from 1 to 28 (0 clears it)", zh: "--unit-review-day 应为 1 到 28（0 表示清除）"))
        }
        var settings = try store.settings()
        settings.plan = plan ?? settings.plan
        settings.reportingDay = reportingDay ?? settings.reportingDay
        if let unitReviewDay { settings.unitReviewDay = unitReviewDay == 0 ? nil : unitReviewDay }
        try store.saveSettings(settings)
    }

    private static func checkPlan(_ plan: String, _ catalog: Catalog) throws {
        guard catalog.plans.contains(where: { $0.id == plan }) else {
            throw HubFailure.badRequest(
                tr(
                    "unknown plan '\(plan)': use one of \(catalog.plans.map(\.id).joined(separator: ", "))",
                    zh: "未知的工作计划 '\(plan)'，可用的计划：\(catalog.plans.map(\.id).joined(separator: ", "))"))
        }
    }

    /// The months each station submitted and was not sent back, with when it first submitted each.
    func submittedMonths(_ months: [Period]) throws -> [String: [Period: Int64]] {
        let byText = Dictionary(months.map { ($0.description, $0) }, uniquingKeysWith: { a, _ in a })
        return try store.liveSubmissions(periods: months.map(\.description)).mapValues { found in
            Dictionary(
                found.compactMap { text, time in byText[text].map { ($0, time) } }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Late corrections to `months` waiting for a decision, counted by station.
    func pendingCorrections(_ months: [Period]) throws -> [String: Int] {
        let months = Set(months.map(\.description))
        var counts: [String: Int] = [:]
        for correction in try store.lateCorrections(pendingOnly: true) where months.contains(correction.period) {
            counts[correction.station, default: 0] += 1
        }
        return counts
    }

    /// The report for a month, quarter, year or MCH year; a month or quarter
    /// report also reads the year to date.
    public func report(period: ReportPeriod, plan: String?, station: String?, catalog: Catalog) throws
        -> DistrictReport
    {
        let plan = try plan ?? planInForce(catalog)
        try Self.checkPlan(plan, catalog)
        let active = try stations().filter { $0.revoked == nil }
        let names = Dictionary(active.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var registered = active.map(\.id)
        if let station {
            guard registered.contains(station) else {
                throw HubFailure.notFound(tr("no station \(station) is registered", zh: "没有注册卫生站 \(station)"))
            }
            registered = [station]
        }
        let months = Set(period.months + (period.yearToDate?.months ?? [])).sorted()
        var cells: [DistrictReport.Cell] = []
        for month in months {
            cells += try replica.entities(.tally, station: station, period: month.description).compactMap {
                state -> DistrictReport.Cell? in
                guard let key = try? TallyKey(entityID: state.id), !state.isDeleted || state.isInConflict("deleted")
                else { return nil }
                return DistrictReport.Cell(
                    station: key.station, element: key.element, period: key.period,
                    value: state.value("value").flatMap(Int.init),
                    inConflict: state.isInConflict("value") || state.isInConflict("deleted"))
            }
        }
        return DistrictReport(
            period: period, plan: plan, catalog: catalog, cells: cells, registered: registered,
            submitted: try submittedMonths(period.months),
            reportingDay: try reportingDay(catalog), stationNames: names,
            lastReceived: try store.lastReceipts(period: period.last.description),
            unitApproved: try store.unitApprovals(period: period.last.description),
            unitReviewDay: try store.settings().unitReviewDay,
            pendingCorrections: try pendingCorrections(period.months), scope: station,
            unitOf: Dictionary(
                active.compactMap { info in info.unit.map { (info.id, $0) } }, uniquingKeysWith: { a, _ in a }),
            unitNames: Dictionary(try units().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
            communityOf: Dictionary(
                active.compactMap { info in info.community.map { (info.id, $0) } }, uniquingKeysWith: { a, _ in a }),
            quotas: try store.quotas(year: period.last.year).map {
                DistrictReport.Quota(indicator: $0.indicator, unit: $0.unit, year: $0.year, value: $0.value)
            })
    }
}
