import Foundation
import Testing
@testable import OperatorCommands
@testable import Reporting
@testable import SyncModel
@testable import SyncStore

/// The catalog's validation rules beyond "A <= B": constants in expressions,
/// plausibility bounds, and running totals that must not go down from one
/// month to the next. Every figure is worked out by hand beside its check.
@Suite struct RuleTests {
    let catalog = Catalog.builtIn
    let september = Period(year: 2026, month: 9)
    let october = Period(year: 2026, month: 10)

    func rule(_ code: String) throws -> Catalog.Rule {
        try #require(catalog.rules.first { $0.code == code })
    }

    /// A rule as seeds/catalog.json writes one, for forms the catalog itself does not use.
    func decoded(_ left: String, _ op: String, _ right: String, compare: String? = nil) throws -> Catalog.Rule {
        let compared = compare.map { #""compare": "\#($0)", "# } ?? ""
        let json = #"""
            {"code": "TEST", "left": "\#(left)", "operator": "\#(op)", "right": "\#(right)", \#(compared)
             "severity": "warning", "name_zh": "测试", "name_en": "test"}
            """#
        return try JSONDecoder().decode(Catalog.Rule.self, from: Data(json.utf8))
    }

    func cell(_ station: String, _ element: String, _ month: Period, _ value: Int) -> DistrictReport.Cell {
        DistrictReport.Cell(station: station, element: element, period: month, value: value, inConflict: false)
    }

    func report(_ period: ReportPeriod, _ cells: [DistrictReport.Cell]) -> DistrictReport {
        DistrictReport(
            period: period, plan: "xihu-2017", catalog: catalog, cells: cells,
            registered: Array(Set(cells.map(\.station))).sorted(), submitted: [:], reportingDay: 24)
    }

    @Test func aCaesareanRateAbove80PercentIsFlaggedAndExactly80IsNot() throws {
        let bound = try rule("CAESAREAN_RATE_AT_MOST_80_PERCENT")
        #expect(bound.severity == "warning")
        // 81 of 100: 81 × 100 = 8,100 > 80 × 100 = 8,000. 80 of 100: 8,000, on the bound.
        #expect(bound.holds(["CAESAREAN_DELIVERIES": 81, "DELIVERIES": 100]) == false)
        #expect(bound.holds(["CAESAREAN_DELIVERIES": 80, "DELIVERIES": 100]) == true)
        // 4 of 5 is 80 % as well (400 = 400); 17 of 21 is 80.95 % (1,700 > 1,680).
        #expect(bound.holds(["CAESAREAN_DELIVERIES": 4, "DELIVERIES": 5]) == true)
        #expect(bound.holds(["CAESAREAN_DELIVERIES": 17, "DELIVERIES": 21]) == false)
        // The constants are not elements: the rule involves the two codes only.
        #expect(bound.elements == ["CAESAREAN_DELIVERIES", "DELIVERIES"])
        #expect(catalog.rules(involving: "DELIVERIES").contains { $0.code == bound.code })

        // At entry, a warning and never a refusal; 100 of 100 delivered in
        // hospital, so the caesareans break no other rule.
        let month = [october: ["DELIVERIES": 100, "HOSPITAL_DELIVERIES": 100]]
        let above = catalog.checkRules(element: "CAESAREAN_DELIVERIES", value: 81, period: october, figures: month)
        #expect(above.errors.isEmpty)
        #expect(
            above.warnings == [
                "warning: rule CAESAREAN_RATE_AT_MOST_80_PERCENT: \(bound.nameZH) — 100 * CAESAREAN_DELIVERIES <= 80 * DELIVERIES"
            ])
        #expect(
            catalog.checkRules(element: "CAESAREAN_DELIVERIES", value: 80, period: october, figures: month)
                == Catalog.RuleFindings())
    }

    @Test func decimalConstantsAreExactWhereADoubleIsNot() throws {
        // 7 of 100 against a 7 % floor is on the bound. As Doubles 0.07 × 100
        // is 7.000000000000001, and 7 would fall short of it.
        #expect(0.07 * 100.0 > 7)
        let floor = try decoded("CAESAREAN_DELIVERIES", ">=", "0.07 * DELIVERIES")
        #expect(floor.holds(["CAESAREAN_DELIVERIES": 7, "DELIVERIES": 100]) == true)
        #expect(floor.holds(["CAESAREAN_DELIVERIES": 6, "DELIVERIES": 100]) == false)
        // A constant alone and a coefficient: 3 + 2 × 4 = 11 against 10 + 1.5 = 11.5.
        let sum = try decoded("STILLBIRTHS + 2 * LIVE_BIRTHS", "<=", "DELIVERIES + 1.5")
        #expect(sum.holds(["STILLBIRTHS": 3, "LIVE_BIRTHS": 4, "DELIVERIES": 10]) == true)
        // 4 + 2 × 4 = 12 > 11.5.
        #expect(sum.holds(["STILLBIRTHS": 4, "LIVE_BIRTHS": 4, "DELIVERIES": 10]) == false)
        #expect(sum.holds(["STILLBIRTHS": 4, "LIVE_BIRTHS": 4]) == nil)
        let figures = try #require(sum.figures(["STILLBIRTHS": 3, "LIVE_BIRTHS": 4, "DELIVERIES": 10]))
        #expect(figures.left == "11" && figures.right == "11.5")
        #expect(sum.elements == ["STILLBIRTHS", "LIVE_BIRTHS", "DELIVERIES"])
        // Indicators go on reading element codes only.
        #expect(Catalog.elements(of: "100 * CAESAREAN_DELIVERIES + 5") == ["CAESAREAN_DELIVERIES"])
        #expect(Catalog.elements(of: "LIVE_BIRTHS + STILLBIRTHS") == ["LIVE_BIRTHS", "STILLBIRTHS"])
        // What cannot be read is refused when the catalog is read, not guessed at.
        #expect(throws: DecodingError.self) { try decoded("100 *", "<=", "DELIVERIES") }
        #expect(throws: DecodingError.self) { try decoded("1e3 * DELIVERIES", "<=", "LIVE_BIRTHS") }
        #expect(throws: DecodingError.self) { try decoded("DELIVERIES", "<", "LIVE_BIRTHS") }
        #expect(throws: DecodingError.self) {
            try decoded("FD_CONTRACTED", ">=", "FD_CONTRACTED + 1", compare: "previous_month")
        }
    }

    @Test func aSexRatioAtBirthOutside90To130IsFlaggedOverAYearOnly() throws {
        let low = try rule("SEX_RATIO_AT_BIRTH_AT_LEAST_90")
        let high = try rule("SEX_RATIO_AT_BIRTH_AT_MOST_130")
        // 89 boys per 100 girls: 8,900 < 90 × 100 = 9,000. 131: 13,100 > 13,000. 105: within both.
        #expect(low.holds(["MALE_LIVE_BIRTHS": 89, "FEMALE_LIVE_BIRTHS": 100]) == false)
        #expect(high.holds(["MALE_LIVE_BIRTHS": 89, "FEMALE_LIVE_BIRTHS": 100]) == true)
        #expect(low.holds(["MALE_LIVE_BIRTHS": 131, "FEMALE_LIVE_BIRTHS": 100]) == true)
        #expect(high.holds(["MALE_LIVE_BIRTHS": 131, "FEMALE_LIVE_BIRTHS": 100]) == false)
        #expect(low.holds(["MALE_LIVE_BIRTHS": 105, "FEMALE_LIVE_BIRTHS": 100]) == true)
        #expect(high.holds(["MALE_LIVE_BIRTHS": 105, "FEMALE_LIVE_BIRTHS": 100]) == true)

        // A year's births over June and July: S01 40 + 49 = 89 boys to
        // 50 + 50 = 100 girls; S02 60 + 71 = 131 to 100; S03 50 + 55 = 105 to 100.
        let june = Period(year: 2026, month: 6), july = Period(year: 2026, month: 7)
        var cells: [DistrictReport.Cell] = []
        for (station, boys) in [("S01", (40, 49)), ("S02", (60, 71)), ("S03", (50, 55))] {
            for (month, male) in [(june, boys.0), (july, boys.1)] {
                cells += [
                    cell(station, "MALE_LIVE_BIRTHS", month, male), cell(station, "FEMALE_LIVE_BIRTHS", month, 50),
                    cell(station, "LIVE_BIRTHS", month, male + 50),
                ]
            }
        }
        let year = report(try #require(ReportPeriod("2026")), cells)
        let bounds = year.violations.filter { $0.rule.code.hasPrefix("SEX_RATIO_AT_BIRTH") }
        #expect(bounds.map { "\($0.station) \($0.rule.code)" } == ["S01 \(low.code)", "S02 \(high.code)"])
        // Warnings: the stations are flagged and stay in the sum, (89 + 131 + 105) / 300 × 100.
        let ratio = try #require(year.lines.first { $0.indicator.code == "SEX_RATIO_AT_BIRTH" })
        #expect(ratio.stations.map(\.flags) == [["warning:\(low.code)"], ["warning:\(high.code)"], []])
        #expect(ratio.stations.allSatisfy { $0.included })
        #expect(ratio.numerator == 325 && ratio.denominator == 300)

        // July alone: S02's 71 to 50 (142) is a month of a small station's
        // births, not a ratio; no month report or entry judges it.
        let month = report(ReportPeriod(month: july), cells)
        #expect(!month.violations.contains { $0.rule.code.hasPrefix("SEX_RATIO_AT_BIRTH") })
        let entry = catalog.checkRules(
            element: "MALE_LIVE_BIRTHS", value: 71, period: july,
            figures: [july: ["FEMALE_LIVE_BIRTHS": 50, "LIVE_BIRTHS": 121]])
        #expect(entry == Catalog.RuleFindings())
    }

    @Test func aRunningTotalThatGoesDownIsAWarningInTheReportAndItsFiguresStayIn() throws {
        // Health cards issued so far this year: S01 500 in September, 480 in
        // October (20 fewer); S02 500, then 520. 2,000 residents each.
        var cells: [DistrictReport.Cell] = []
        for (station, sep, oct) in [("S01", 500, 480), ("S02", 500, 520)] {
            cells += [
                cell(station, "HEALTH_CARDS_ISSUED", september, sep),
                cell(station, "HEALTH_CARDS_ISSUED", october, oct),
                cell(station, "RESIDENTS", september, 2_000), cell(station, "RESIDENTS", october, 2_000),
            ]
        }
        let code = "HEALTH_CARDS_ISSUED_NOT_BELOW_PREVIOUS_MONTH"
        let month = report(ReportPeriod(month: october), cells)
        let drops = month.violations.filter { $0.rule.compare != nil }
        #expect(
            drops.map { "\($0.station) \($0.rule.code) \($0.month?.description ?? "-")" } == ["S01 \(code) 2026-10"])
        let issued = try #require(month.lines.first { $0.indicator.code == "HEALTH_CARD_ISSUE_RATE" })
        #expect(issued.stations.map(\.flags) == [["warning:\(code)"], []])
        // A warning leaves the figures in: (480 + 520) / (2,000 + 2,000) × 100 = 25 %.
        #expect(issued.stations.allSatisfy { $0.included })
        #expect(issued.numerator == 1_000 && issued.denominator == 4_000 && issued.value == 25)
        #expect(
            month.table().contains(
                "S01 warning \(code): HEALTH_CARDS_ISSUED >= HEALTH_CARDS_ISSUED of the previous month (2026-10)"))

        // The fourth quarter reads September from the year to date: the same drop, in October.
        let quarter = report(try #require(ReportPeriod("2026Q4")), cells)
        #expect(
            quarter.violations.filter { $0.rule.compare != nil }.map { "\($0.station) \($0.month?.description ?? "-")" }
                == ["S01 2026-10"])
        // Without September's figure there is nothing to compare with.
        let alone = report(ReportPeriod(month: october), cells.filter { $0.period == october })
        #expect(!alone.violations.contains { $0.rule.compare != nil })
    }

    @Test func aRunningTotalThatGoesDownIsAWarningAtEntryAndInTallyCheck() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        defer { store.close() }
        let code = "HEALTH_CARDS_ISSUED_NOT_BELOW_PREVIOUS_MONTH"
        let name = try rule(code).nameZH
        let inSeptember = TallyKey(station: "S01", period: september, element: "HEALTH_CARDS_ISSUED")
        let inOctober = TallyKey(station: "S01", period: october, element: "HEALTH_CARDS_ISSUED")
        try store.setTally(inSeptember, value: 500, clerk: "c")
        // 480 after September's 500: the clerk is told, and the figure still goes in.
        #expect(
            try TallyRuleCheck.check(inOctober, value: 480, in: store, catalog: catalog) == [
                "warning: rule \(code): \(name) — HEALTH_CARDS_ISSUED went down from 500 in 2026-09 to 480 in 2026-10"
            ])
        #expect(try TallyRuleCheck.check(inOctober, value: 520, in: store, catalog: catalog) == [])
        try store.setTally(inOctober, value: 480, clerk: "c")
        let (errors, warnings) = try TallyRuleCheck.findings(
            station: "S01", period: october, in: store, catalog: catalog)
        #expect(errors.isEmpty && warnings.map(\.code) == [code])
        #expect(
            warnings.map(TallyRuleCheck.line) == [
                "warning \(code): \(name) — HEALTH_CARDS_ISSUED >= HEALTH_CARDS_ISSUED of the previous month"
            ])
        // September has no August to compare with.
        let august = try TallyRuleCheck.findings(station: "S01", period: september, in: store, catalog: catalog)
        #expect(august.errors.isEmpty && august.warnings.isEmpty)
        // Raising September to 600 later leaves October's 480 below it: said when September is typed.
        #expect(
            try TallyRuleCheck.check(inSeptember, value: 600, in: store, catalog: catalog) == [
                "warning: rule \(code): \(name) — HEALTH_CARDS_ISSUED went down from 600 in 2026-09 to 480 in 2026-10"
            ])
    }

    @Test func januaryIsNotComparedWithDecember() throws {
        let december = Period(year: 2025, month: 12), january = Period(year: 2026, month: 1)
        #expect(Catalog.Rule.Comparison.previousMonth.month(before: january) == nil)
        #expect(Catalog.Rule.Comparison.previousMonth.month(after: december) == nil)
        #expect(Catalog.Rule.Comparison.previousMonth.month(before: october) == september)
        // 500 cards by December; the new year's count starts again at 30.
        let cells = [
            cell("S01", "HEALTH_CARDS_ISSUED", december, 500), cell("S01", "HEALTH_CARDS_ISSUED", january, 30),
            cell("S01", "RESIDENTS", december, 2_000), cell("S01", "RESIDENTS", january, 2_000),
        ]
        #expect(!report(ReportPeriod(month: january), cells).violations.contains { $0.rule.compare != nil })
        #expect(
            !report(try #require(ReportPeriod("2026mch")), cells).violations.contains { $0.rule.compare != nil })
        // Nor at entry, either way round.
        #expect(
            catalog.checkRules(
                element: "HEALTH_CARDS_ISSUED", value: 30, period: january,
                figures: [december: ["HEALTH_CARDS_ISSUED": 500]]) == Catalog.RuleFindings())
        #expect(
            catalog.checkRules(
                element: "HEALTH_CARDS_ISSUED", value: 500, period: december,
                figures: [january: ["HEALTH_CARDS_ISSUED": 30]]) == Catalog.RuleFindings())

        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        defer { store.close() }
        try store.setTally(
            TallyKey(station: "S01", period: december, element: "HEALTH_CARDS_ISSUED"), value: 500, clerk: "c")
        let inJanuary = TallyKey(station: "S01", period: january, element: "HEALTH_CARDS_ISSUED")
        #expect(try TallyRuleCheck.check(inJanuary, value: 30, in: store, catalog: catalog) == [])
        try store.setTally(inJanuary, value: 30, clerk: "c")
        let checked = try TallyRuleCheck.findings(station: "S01", period: january, in: store, catalog: catalog)
        #expect(checked.errors.isEmpty && checked.warnings.isEmpty)
    }
}
