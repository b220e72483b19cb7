import Foundation
import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

/// Indicator arithmetic, completeness and timeliness on hand-computed fixtures.
@Suite struct DistrictReportTests {
    let catalog = Catalog.builtIn
    let october = Period(year: 2026, month: 10)

    func cell(_ station: String, _ element: String, _ value: Int?, conflict: Bool = false) -> DistrictReport.Cell {
        DistrictReport.Cell(station: station, element: element, value: value, inConflict: conflict)
    }

    func line(_ report: DistrictReport, _ code: String) throws -> DistrictReport.IndicatorLine {
        try #require(report.lines.first { $0.indicator.code == code })
    }

    /// Milliseconds since 1970 of a moment in China time (UTC+8).
    func chinaTime(_ date: String, hour: Int) -> Int64 {
        let day = CalendarDate(date)!
        return (Int64(day.daysSince1970) * 24 + Int64(hour) - 8) * 3_600_000
    }

    @Test func districtValueIsSumOfNumeratorsOverSumOfDenominators() throws {
        // Hospital delivery rate = HOSPITAL_LIVE_BIRTHS / LIVE_BIRTHS × 100 (妇幼卫生年报:
        // births, not women). S01's ten deliveries brought eleven live births (twins).
        let report = DistrictReport(
            period: october, plan: "mch-2-part1", catalog: catalog,
            cells: [
                cell("S01", "HOSPITAL_LIVE_BIRTHS", 10), cell("S01", "LIVE_BIRTHS", 11), cell("S01", "DELIVERIES", 10),
                cell("S02", "HOSPITAL_LIVE_BIRTHS", 29), cell("S02", "LIVE_BIRTHS", 30),
            ],
            registered: ["S01", "S02"], submitted: [:], reportingDay: 24)
        let hospital = try line(report, "HOSPITAL_DELIVERY_RATE")
        #expect(hospital.numerator == 39 && hospital.denominator == 41)
        #expect(hospital.value == Double(39) / 41 * 100)  // not the mean of 90.9 % and 96.7 %
        #expect(hospital.target?.value == 100 && hospital.met == false)
        #expect(hospital.stations.map(\.value) == [Double(10) / 11 * 100, Double(29) / 30 * 100])
        // Counting women, S01 would read 100 %: the twins are why the national definition divides by births.
        #expect(hospital.stations.first?.value != 100)
        // The other plan sets 99%: met, and the target follows the plan.
        let xihu = DistrictReport(
            period: october, plan: "xihu-2017", catalog: catalog,
            cells: [
                cell("S01", "HOSPITAL_LIVE_BIRTHS", 99), cell("S01", "LIVE_BIRTHS", 100),
            ], registered: ["S01"],
            submitted: [:], reportingDay: 24)
        #expect(try line(xihu, "HOSPITAL_DELIVERY_RATE").target?.value == 99)
        #expect(try line(xihu, "HOSPITAL_DELIVERY_RATE").met == true)
    }

    @Test func perMilleAndPer100000FactorsApply() throws {
        let report = DistrictReport(
            period: october, plan: "xihu-2017", catalog: catalog,
            cells: [
                cell("S01", "INFANT_DEATHS", 1), cell("S01", "LIVE_BIRTHS", 250), cell("S01", "MATERNAL_DEATHS", 0),
            ],
            registered: ["S01"], submitted: [:], reportingDay: 24)
        let infant = try line(report, "INFANT_MORTALITY_RATE")
        #expect(infant.value == 4)  // 1 / 250 × 1000
        #expect(infant.met == true)  // ≤ 7‰
        let maternal = try line(report, "MATERNAL_MORTALITY_RATE")
        #expect(maternal.value == 0)
        #expect(maternal.indicator.factor == 100_000)
    }

    @Test func zeroDenominatorIsNoDataNotACrashOrInfinity() throws {
        let report = DistrictReport(
            period: october, plan: "mch-plans", catalog: catalog,
            cells: [cell("S01", "HOSPITAL_DELIVERIES", 0), cell("S01", "DELIVERIES", 0)],
            registered: ["S01"], submitted: [:], reportingDay: 24)
        let hospital = try line(report, "HOSPITAL_DELIVERY_RATE")
        #expect(hospital.value == nil)
        #expect(hospital.met == nil)
        #expect(DistrictReport.number(hospital.value) == "no data")
        let json = try JSONSerialization.jsonObject(with: Data(report.json().encoded())) as? [String: Any]
        #expect(json != nil)
    }

    @Test func cellsInConflictAndBrokenRulesAreFlaggedAndLeftOut() throws {
        let report = DistrictReport(
            period: october, plan: "mch-2-part1", catalog: catalog,
            cells: [
                cell("S01", "HOSPITAL_LIVE_BIRTHS", 9), cell("S01", "LIVE_BIRTHS", 10),
                cell("S02", "HOSPITAL_LIVE_BIRTHS", 5, conflict: true), cell("S02", "LIVE_BIRTHS", 30),
                cell("S03", "HOSPITAL_LIVE_BIRTHS", 50), cell("S03", "LIVE_BIRTHS", 20),
            ],
            registered: ["S01", "S02", "S03"], submitted: [:], reportingDay: 24)
        let hospital = try line(report, "HOSPITAL_DELIVERY_RATE")
        #expect(hospital.numerator == 9 && hospital.denominator == 10)
        let s02 = try #require(hospital.stations.first { $0.station == "S02" })
        #expect(!s02.included && s02.flags.contains("conflict:HOSPITAL_LIVE_BIRTHS"))
        let s03 = try #require(hospital.stations.first { $0.station == "S03" })
        #expect(!s03.included && s03.flags.contains { $0.hasPrefix("rule:") })
        #expect(report.violations.contains { $0.station == "S03" })
        #expect(report.conflicts.map(\.station) == ["S02"])
    }

    @Test func completenessAndTimelinessCountSubmissionsByTheReportingDay() throws {
        // S01–S03 submitted October (S03 a minute after the 24th ended in
        // China); S04 synced figures but never submitted; S05 did neither.
        let report = DistrictReport(
            period: ReportPeriod(month: october), plan: "mch-plans", catalog: catalog,
            cells: [
                cell("S01", "DELIVERIES", 3), cell("S02", "DELIVERIES", 4), cell("S03", "DELIVERIES", 5),
                cell("S04", "DELIVERIES", 6),
            ],
            registered: ["S01", "S02", "S03", "S04", "S05"],
            submitted: [
                "S01": [october: chinaTime("2026-11-10", hour: 9)],
                "S02": [october: chinaTime("2026-11-24", hour: 23)],
                "S03": [october: chinaTime("2026-11-25", hour: 0) + 60_000],
            ],
            reportingDay: 24,
            // S02's figures changed at the hub after it submitted; S01's did not.
            lastReceived: [
                "S01": chinaTime("2026-11-10", hour: 8), "S02": chinaTime("2026-11-26", hour: 10),
                "S04": chinaTime("2026-11-01", hour: 10),
            ])
        #expect(report.deadline == CalendarDate(year: 2026, month: 11, day: 24))
        #expect(report.reported == ["S01", "S02", "S03"])
        #expect(report.completeness == 60)
        #expect(report.onTime == ["S01", "S02"])
        #expect(report.timeliness == 40)
        #expect(report.missing == ["S04", "S05"])
        #expect(report.unsubmitted == ["S04"])
        #expect(report.late == ["S03"])
        #expect(report.changedAfterSubmission == ["S02"])
        let table = report.table()
        #expect(table.contains("completeness 3/5 stations submitted (60%)"))
        #expect(table.contains("of which figures synced but not submitted: S04"))
        #expect(table.contains("figures changed after submitting: S02"))
        // A quarter counts a station only when all three months are submitted.
        let quarter = DistrictReport(
            period: try #require(ReportPeriod("2026Q4")), plan: "mch-plans", catalog: catalog, cells: [],
            registered: ["S01", "S02"],
            submitted: [
                "S01": [
                    october: 1, Period(year: 2026, month: 11): 2, Period(year: 2026, month: 12): 3,
                ],
                "S02": [october: 1, Period(year: 2026, month: 12): 3],
            ],
            reportingDay: 24)
        #expect(quarter.reported == ["S01"])
        #expect(quarter.onTime.isEmpty)
        // December's reports are due in January of the next year.
        let december = DistrictReport(
            period: Period(year: 2026, month: 12), plan: "mch-plans", catalog: catalog, cells: [],
            registered: [], submitted: [:], reportingDay: 24)
        #expect(december.deadline == CalendarDate(year: 2027, month: 1, day: 24))
        #expect(december.completeness == nil)
    }

    @Test func eachUnitIsJudgedOnItsOwnApprovalDay() throws {
        // T01's two stations both submitted; the unit approved S01 on the
        // 27th (by its day, the 27th) and S02 on the 28th; T02's S03 did not submit.
        let report = DistrictReport(
            period: ReportPeriod(month: october), plan: "mch-plans", catalog: catalog, cells: [],
            registered: ["S01", "S02", "S03"],
            submitted: [
                "S01": [october: chinaTime("2026-11-20", hour: 9)], "S02": [october: chinaTime("2026-11-21", hour: 9)],
            ],
            reportingDay: 24,
            unitApproved: ["S01": chinaTime("2026-11-27", hour: 23), "S02": chinaTime("2026-11-28", hour: 0)],
            unitReviewDay: 27, unitOf: ["S01": "T01", "S02": "T01", "S03": "T02"],
            unitNames: ["T01": "青禾镇", "T02": "南塘街道"])
        #expect(report.unitDeadline == CalendarDate(year: 2026, month: 11, day: 27))
        #expect(
            report.unitReview["T01"]
                == DistrictReport.UnitReview(stations: 2, submitted: 2, approved: 2, approvedOnTime: 1))
        #expect(
            report.unitReview["T02"]
                == DistrictReport.UnitReview(stations: 1, submitted: 0, approved: 0, approvedOnTime: 0))
        #expect(report.table().contains("T01 青禾镇: 2/2 submitted, 2 approved by the unit, 1 by 2026-11-27"))
    }

    @Test func csvParsesBackWithChineseHeadersAndJSONHasItsShape() throws {
        let report = DistrictReport(
            period: october, plan: "mch-2-part1", catalog: catalog,
            cells: [cell("S01", "HOSPITAL_LIVE_BIRTHS", 9), cell("S01", "LIVE_BIRTHS", 10)],
            registered: ["S01"], submitted: ["S01": [october: chinaTime("2026-11-02", hour: 9)]], reportingDay: 24)
        let bytes = report.csv()
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        var reader = CSVReader(bytes: bytes)
        let header = try #require(try reader.nextRow())
        #expect(header.first == "指标代码 code")
        var rows: [[String]] = []
        while let row = try reader.nextRow() { rows.append(row) }
        // No station has a unit: one district row per indicator and S01's rows, no unit rows.
        #expect(rows.count == catalog.indicators.count + report.lines.reduce(0) { $0 + $1.stations.count })
        #expect(rows.filter { $0[3] == "S01" }.count == report.lines.filter { !$0.stations.isEmpty }.count)
        #expect(rows.allSatisfy { $0.count == header.count && ["district", "station"].contains($0[16]) })
        let hospital = try #require(rows.first { $0[0] == "HOSPITAL_DELIVERY_RATE" && $0[3] == "全区 district" })
        #expect(hospital[1] == "住院分娩率" && hospital[6] == "90" && hospital[9] == "no")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().encoded())) as? [String: Any])
        #expect(json["period"] as? String == "2026-10")
        #expect((json["completeness"] as? [String: Any])?["rate"] as? Double == 100)
        let indicators = try #require(json["indicators"] as? [[String: Any]])
        let line = try #require(indicators.first { $0["code"] as? String == "HOSPITAL_DELIVERY_RATE" })
        #expect(line["value"] as? Double == 90)
        #expect(line["met"] as? Bool == false)
        #expect((line["stations"] as? [[String: Any]])?.first?["station"] as? String == "S01")
    }

    @Test func reportNamesMissingAndLateStationsAndPrintsFlagsWhole() throws {
        let names = ["S01": "青禾社区卫生服务站", "S02": "东村卫生室", "S03": "西村卫生室"]
        let report = DistrictReport(
            period: october, plan: "mch-plans", catalog: catalog,
            cells: [cell("S01", "PREGNANT_REGISTERED_EARLY", 3), cell("S02", "DELIVERIES", 4)],
            registered: ["S01", "S02", "S03"],
            submitted: [
                "S01": [october: chinaTime("2026-11-10", hour: 9)], "S02": [october: chinaTime("2026-11-30", hour: 9)],
            ],
            reportingDay: 24, stationNames: names)
        #expect(report.missing == ["S03"] && report.late == ["S02"])
        let table = report.table()
        #expect(table.contains("not submitted: S03 西村卫生室"))
        #expect(table.contains("late (after 2026-11-24): S02 东村卫生室"))
        #expect(table.contains("S01 青禾社区卫生服务站"))
        // Every flag is printed whole, however long: the last column is never cut.
        let flags = report.lines.flatMap(\.stations).flatMap(\.flags)
        #expect(!flags.isEmpty)
        for flag in flags { #expect(table.contains(flag), "\(flag) was cut") }

        var reader = CSVReader(bytes: report.csv())
        let header = try #require(try reader.nextRow())
        let completeness = try #require(header.firstIndex(of: "完整率 completeness"))
        let timeliness = try #require(header.firstIndex(of: "及时率 timeliness"))
        let district = try #require(try reader.nextRow())
        #expect(district[completeness] == "2/3 66.67% (S03)")
        #expect(district[timeliness] == "1/3 33.33% (S02)")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().encoded())) as? [String: Any])
        #expect((json["completeness"] as? [String: Any])?["missing"] as? [String] == ["S03"])
        #expect((json["timeliness"] as? [String: Any])?["late"] as? [String] == ["S02"])
    }

    @Test func aReportForOneStationIsLabelledWithThatStation() throws {
        let report = DistrictReport(
            period: october, plan: "mch-plans", catalog: catalog,
            cells: [cell("S03", "HOSPITAL_LIVE_BIRTHS", 9), cell("S03", "LIVE_BIRTHS", 10)],
            registered: ["S03"], submitted: [:], reportingDay: 24, stationNames: ["S03": "西村卫生室"],
            scope: "S03")
        let table = report.table()
        #expect(table.hasPrefix("Report for S03 西村卫生室, 2026-10"))
        #expect(!table.contains("district"))
        let hospital = try #require(table.split(separator: "\n").first { $0.hasPrefix("住院分娩率") })
        #expect(hospital.contains("S03 西村卫生室") && hospital.contains("90"))
    }

    // MARK: - Periods longer than a month, worked out by hand

    /// A small catalog of its own, so the arithmetic below does not move
    /// when the real catalog's figures do.
    static let yearCatalog: Catalog = {
        let json = """
            {"version":1,"reporting_day":24,"default_plan":"p","plans":[{"id":"p","name_zh":"计划","name_en":"Plan","source":"x"}],
             "data_elements":[
               {"code":"BIRTHS","name_zh":"出生数","name_en":"Births","unit":"births","aggregation":"sum"},
               {"code":"POPULATION","name_zh":"常住人口","name_en":"Population","unit":"persons","aggregation":"last"},
               {"code":"SCREENED","name_zh":"筛查人数","name_en":"Screened","unit":"persons","aggregation":"sum"},
               {"code":"CARDS","name_zh":"建卡人数","name_en":"Cards","unit":"persons","aggregation":"last"}],
             "indicators":[
               {"code":"BIRTH_RATE","name_zh":"出生率","name_en":"Birth rate","numerator":"BIRTHS","denominator":"POPULATION",
                "factor":1000,"period":"year","annualise":true,
                "targets":[{"plan":"p","value":11.33,"direction":"<=","period":"year","source":"x"}]},
               {"code":"SCREENING_COUNT","name_zh":"筛查人数","name_en":"Screenings","numerator":"SCREENED","denominator":"",
                "factor":1,"period":"year","targets":[{"plan":"p","value":1200,"direction":">=","period":"year","source":"x"}]},
               {"code":"CARD_RATE","name_zh":"建卡率","name_en":"Card rate","numerator":"CARDS","denominator":"POPULATION",
                "factor":100,"period":"year","targets":[{"plan":"p","value":80,"direction":">=","period":"year","source":"x",
                "milestones":[{"by":"06-01","value":30},{"by":"09-01","value":50},{"by":"12-01","value":80}]}]}],
             "rules":[]}
            """
        return try! JSONDecoder().decode(Catalog.self, from: Data(json.utf8))
    }()

    /// A year of one station: 10 births and 100 screenings a month (50 in
    /// April); population 12,000 in January, 10 more each month; health
    /// cards 300 more each month, entered as the running total.
    func yearOfMonths() -> [DistrictReport.Cell] {
        (1...12).flatMap { month -> [DistrictReport.Cell] in
            let period = Period(year: 2026, month: month)
            return [
                DistrictReport.Cell(station: "S01", element: "BIRTHS", period: period, value: 10, inConflict: false),
                DistrictReport.Cell(
                    station: "S01", element: "POPULATION", period: period, value: 12_000 + 10 * (month - 1),
                    inConflict: false),
                DistrictReport.Cell(
                    station: "S01", element: "SCREENED", period: period, value: month == 4 ? 50 : 100,
                    inConflict: false),
                DistrictReport.Cell(
                    station: "S01", element: "CARDS", period: period, value: 300 * month, inConflict: false),
            ]
        }
    }

    func report(_ period: String) throws -> DistrictReport {
        DistrictReport(
            period: try #require(ReportPeriod(period)), plan: "p", catalog: Self.yearCatalog, cells: yearOfMonths(),
            registered: ["S01"],
            // Every month of 2026 submitted: a year report counts S01 as reported.
            submitted: ["S01": Dictionary(uniqueKeysWithValues: (1...12).map { (Period(year: 2026, month: $0), 1) })],
            reportingDay: 24)
    }

    @Test func aMonthShowsTheYearToDateAndAYearlyTargetIsJudgedOnIt() throws {
        let march = try report("2026-03")
        let births = try line(march, "BIRTH_RATE")
        // The month: 10 births / 12,020 people × 1000, annualised × 12.
        #expect(births.numerator == 10 && births.denominator == 12_020)
        #expect(abs(births.value! - 10.0 / 12_020 * 1000 * 12) < 1e-9)
        // Year to date: 30 births over March's population (a stock: the last
        // month's, not the sum), × 12 / 3 months.
        let ytd = try #require(births.yearToDate)
        #expect(ytd.numerator == 30 && ytd.denominator == 12_020)
        #expect(abs(ytd.value! - 30.0 / 12_020 * 1000 * 4) < 1e-9)
        #expect(births.judgedOn == .yearToDate && births.met == true)
    }

    @Test func aYearlyVolumeIsJudgedAgainstTheShareOfTheYearGone() throws {
        let march = try line(try report("2026-03"), "SCREENING_COUNT")
        // 300 done by March against 1,200 × 3/12 = 300 due.
        #expect(march.value == 100 && march.yearToDate?.value == 300)
        #expect(march.judgedOn == .schedule && march.due == 300 && march.met == true)
        // April brought 50: 350 against 400 due.
        let april = try line(try report("2026-04"), "SCREENING_COUNT")
        #expect(april.yearToDate?.value == 350 && april.due == 400 && april.met == false)
    }

    @Test func datedMilestonesSetTheTargetInForce() throws {
        let may = try line(try report("2026-05"), "CARD_RATE")
        // 1,500 cards over 12,040 people, against the 30 % due by 1 June.
        #expect(may.figure == 30)
        #expect(abs(may.yearToDate!.value! - 1500.0 / 12_040 * 100) < 1e-9)
        #expect(may.met == false)
        // Before the first step is due there is nothing to judge.
        let april = try line(try report("2026-04"), "CARD_RATE")
        #expect(april.figure == nil && april.met == nil)
        // June is still judged on the step due by 1 June; August on 1 September's.
        #expect(try line(try report("2026-06"), "CARD_RATE").figure == 30)
        #expect(try line(try report("2026-08"), "CARD_RATE").figure == 50)
        let november = try line(try report("2026-11"), "CARD_RATE")
        #expect(november.figure == 80)
        // 3,300 cards over 12,100 people: 27.3 %, far below.
        #expect(november.met == false)
    }

    @Test func quartersAndYearsAddEventsAndTakeTheLastStock() throws {
        let quarter = try line(try report("2026Q1"), "BIRTH_RATE")
        #expect(quarter.numerator == 30 && quarter.denominator == 12_020)
        let year = try report("2026")
        let births = try line(year, "BIRTH_RATE")
        #expect(births.numerator == 120 && births.denominator == 12_110)
        #expect(abs(births.value! - 120.0 / 12_110 * 1000) < 1e-9)
        // A year report judges a yearly target on the year itself.
        #expect(births.judgedOn == .period && births.met == true)
        #expect(try line(year, "SCREENING_COUNT").value == 1_150)
        #expect(try line(year, "SCREENING_COUNT").met == false)
        #expect(year.reported == ["S01"])
        // The MCH year runs October to September: only January to September of 2026 are here.
        let mch = try report("2026mch")
        #expect(mch.period.months.first == Period(year: 2025, month: 10))
        #expect(try line(mch, "BIRTH_RATE").numerator == 90)
        #expect(mch.reported.isEmpty)  // no figures for October to December 2025
    }

    @Test func reportPeriodsParseTheirFormsAndRefuseOthers() {
        #expect(ReportPeriod("2026-10")?.kind == .month)
        #expect(ReportPeriod("2026q4")?.months.map(\.month) == [10, 11, 12])
        #expect(ReportPeriod("2026")?.months.count == 12)
        #expect(ReportPeriod("2026MCH")?.description == "2026mch")
        for bad in ["2026Q5", "26", "2026-13", "1999", "2026-mch", ""] { #expect(ReportPeriod(bad) == nil, "\(bad)") }
    }

    @Test func townshipsSubtotalTheirStationsAndAreRankedOnWhatTheTargetJudges() throws {
        // January to March; births a month and population: S01 10 / 10,000,
        // S02 1 / 5,000 (both in T01), S03 30 / 10,000 (in T02).
        let figures = ["S01": (10, 10_000), "S02": (1, 5_000), "S03": (30, 10_000)]
        let cells = (1...3).flatMap { month in
            figures.flatMap { station, figure in
                [
                    DistrictReport.Cell(
                        station: station, element: "BIRTHS", period: Period(year: 2026, month: month), value: figure.0,
                        inConflict: false),
                    DistrictReport.Cell(
                        station: station, element: "POPULATION", period: Period(year: 2026, month: month),
                        value: figure.1, inConflict: false),
                ]
            }
        }
        let report = DistrictReport(
            period: ReportPeriod(month: Period(year: 2026, month: 3)), plan: "p", catalog: Self.yearCatalog,
            cells: cells, registered: ["S01", "S02", "S03"], submitted: [:], reportingDay: 24,
            unitOf: ["S01": "T01", "S02": "T01", "S03": "T02"], unitNames: ["T01": "青禾镇", "T02": "松岭镇"])
        let births = try line(report, "BIRTH_RATE")
        // District year to date: 123 births over 25,000 people × 1000 × 12/3.
        #expect(abs(births.yearToDate!.value! - 123.0 / 25_000 * 4_000) < 1e-9)
        let t01 = try #require(births.units.first { $0.unit == "T01" })
        let t02 = try #require(births.units.first { $0.unit == "T02" })
        // T01: 11 births a month over 15,000 people: 8.8 per mille a year, within 11.33.
        #expect(t01.numerator == 11 && t01.denominator == 15_000)
        #expect(abs(t01.yearToDate! - 8.8) < 1e-9 && t01.met == true)
        // T02: 30 over 10,000: 36 per mille, over the ceiling.
        #expect(abs(t02.yearToDate! - 36) < 1e-9 && t02.met == false)
        // A ceiling ranks the lower figure first.
        #expect(t01.rank == 1 && t02.rank == 2)
        let table = report.table()
        #expect(table.contains("T01 青禾镇") && table.contains("  S02"))
        #expect(table.contains("units below target or behind schedule:"))
        #expect(table.contains("T02 松岭镇  出生率 36"), "\(table)")
    }
}
