import Foundation
import Testing
@testable import Reporting
@testable import SyncModel

/// Targets for urban or rural stations only, and yearly volumes split into
/// unit quotas, on figures worked out by hand.
@Suite struct UnitQuotaReportTests {
    let october = ReportPeriod(month: Period(year: 2026, month: 10))

    func line(_ report: DistrictReport, _ code: String) throws -> DistrictReport.IndicatorLine {
        try #require(report.lines.first { $0.indicator.code == code })
    }

    func unit(_ line: DistrictReport.IndicatorLine, _ id: String) throws -> DistrictReport.UnitValue {
        try #require(line.units.first { $0.unit == id })
    }

    // MARK: - A target for urban communities only

    /// October's family-doctor figures (running totals): S01 urban 950
    /// contracts over 1,000 residents, S02 rural 300 over 1,000, S03 none set
    /// 800 over 1,000.
    func familyDoctorReport(community: [String: String]) -> DistrictReport {
        let figures = ["S01": 950, "S02": 300, "S03": 800]
        let cells = figures.flatMap { station, contracted in
            [
                DistrictReport.Cell(station: station, element: "FD_CONTRACTED", value: contracted, inConflict: false),
                DistrictReport.Cell(station: station, element: "RESIDENTS", value: 1_000, inConflict: false),
            ]
        }
        return DistrictReport(
            period: october, plan: "changchun-2012", catalog: .builtIn, cells: cells,
            registered: Array(figures.keys), submitted: [:], reportingDay: 24,
            unitOf: ["S01": "T01", "S02": "T02", "S03": "T01"], communityOf: community)
    }

    @Test func anUrbanTargetIsJudgedOverUrbanStationsAlone() throws {
        // The plan sets 90 % for urban communities (城市社区家庭医生签约).
        let report = familyDoctorReport(community: ["S01": "urban", "S02": "rural", "S03": "urban"])
        let doctors = try line(report, "FAMILY_DOCTOR_CONTRACT_RATE")
        #expect(doctors.target?.scope == "urban")
        // S01 and S03: 1,750 of 2,000 = 87.5 %; with rural S02 it would be 2,050 / 3,000.
        #expect(doctors.yearToDate?.numerator == 1_750 && doctors.yearToDate?.denominator == 2_000)
        #expect(doctors.yearToDate?.value == 87.5)
        #expect(doctors.judgedOn == .yearToDate && doctors.met == false)
        // S02 stays listed, flagged and out of the sum.
        let rural = try #require(doctors.stations.first { $0.station == "S02" })
        #expect(rural.value == 30 && !rural.included && rural.flags == ["scope:urban"])
        #expect(doctors.stations.filter(\.included).map(\.station) == ["S01", "S03"])
        // T02 holds only S02: nothing judged there. T01: 1,750 / 2,000.
        #expect(try unit(doctors, "T02").yearToDate == nil && unit(doctors, "T02").met == nil)
        #expect(try unit(doctors, "T01").yearToDate == 87.5 && unit(doctors, "T01").met == false)
        #expect(report.communityUnknown.isEmpty)
        let json = report.json().text
        #expect(json.contains(#""flags":["scope:urban"]"#), "\(json)")
    }

    @Test func aStationWithNoCommunityCountsInAndIsNamed() throws {
        // S03 unknown: in scope, so 950 + 800 over 2,000 = 87.5 % again, and named.
        let report = familyDoctorReport(community: ["S01": "urban", "S02": "rural"])
        let doctors = try line(report, "FAMILY_DOCTOR_CONTRACT_RATE")
        #expect(doctors.yearToDate?.value == 87.5)
        #expect(report.communityUnknown == ["S03"])
        #expect(report.table().contains("1 station has no community set (S03)"), "\(report.table())")
        // With S03 rural the urban figure is S01's alone, 95 %: met.
        let met = try line(
            familyDoctorReport(community: ["S01": "urban", "S02": "rural", "S03": "rural"]),
            "FAMILY_DOCTOR_CONTRACT_RATE")
        #expect(met.yearToDate?.value == 95 && met.met == true)
    }

    // MARK: - Unit quotas

    /// A catalog of its own, so the arithmetic does not move with the real
    /// one: a count (2,000 screenings a year) and a task completion (tests
    /// done over tests planned, 100 %).
    static let catalog: Catalog = {
        let json = """
            {"version":1,"reporting_day":24,"default_plan":"p","plans":[{"id":"p","name_zh":"计划","name_en":"Plan","source":"x"}],
             "data_elements":[
               {"code":"SCREENED","name_zh":"筛查人数","name_en":"Screened","unit":"persons","aggregation":"sum"},
               {"code":"TESTS_DONE","name_zh":"检测例数","name_en":"Tests","unit":"tests","aggregation":"sum"},
               {"code":"TESTS_PLANNED","name_zh":"检测计划例数","name_en":"Planned","unit":"tests","aggregation":"last"}],
             "indicators":[
               {"code":"SCREENING_COUNT","name_zh":"筛查人数","name_en":"Screenings","numerator":"SCREENED","denominator":"",
                "factor":1,"period":"year","targets":[{"plan":"p","value":2000,"direction":">=","period":"year","source":"x"}]},
               {"code":"TEST_COMPLETION_RATE","name_zh":"检测任务完成率","name_en":"Tests done","numerator":"TESTS_DONE",
                "denominator":"TESTS_PLANNED","factor":100,"period":"year",
                "targets":[{"plan":"p","value":100,"direction":">=","period":"year","source":"x"}]}],
             "rules":[]}
            """
        return try! JSONDecoder().decode(Catalog.self, from: Data(json.utf8))
    }()

    /// January to October: S01 (T01) screens and tests 95 a month, S02 (T02)
    /// 70; each planned 1,000 tests for the year.
    func cells() -> [DistrictReport.Cell] {
        (1...10).flatMap { month in
            [("S01", 95), ("S02", 70)].flatMap { station, done in
                let period = Period(year: 2026, month: month)
                return [
                    DistrictReport.Cell(
                        station: station, element: "SCREENED", period: period, value: done, inConflict: false),
                    DistrictReport.Cell(
                        station: station, element: "TESTS_DONE", period: period, value: done, inConflict: false),
                    DistrictReport.Cell(
                        station: station, element: "TESTS_PLANNED", period: period, value: 1_000, inConflict: false),
                ]
            }
        }
    }

    func report(_ period: ReportPeriod, quotas: [DistrictReport.Quota]) -> DistrictReport {
        DistrictReport(
            period: period, plan: "p", catalog: Self.catalog, cells: cells(), registered: ["S01", "S02"],
            submitted: [:], reportingDay: 24, unitOf: ["S01": "T01", "S02": "T02"],
            unitNames: ["T01": "青禾镇", "T02": "松岭镇"], quotas: quotas)
    }

    func quotas(_ indicator: String, _ t01: Int, _ t02: Int, year: Int = 2026) -> [DistrictReport.Quota] {
        [
            DistrictReport.Quota(indicator: indicator, unit: "T01", year: year, value: t01),
            DistrictReport.Quota(indicator: indicator, unit: "T02", year: year, value: t02),
        ]
    }

    @Test func eachUnitIsJudgedOnScheduleAgainstItsOwnQuota() throws {
        let report = report(october, quotas: quotas("SCREENING_COUNT", 1_200, 800))
        let screening = try line(report, "SCREENING_COUNT")
        // T01: 950 done by October against 1,200 × 10/12 = 1,000 due: behind.
        let t01 = try unit(screening, "T01")
        #expect(t01.quota == 1_200 && t01.due == 1_000 && t01.done == 950 && t01.met == false)
        // T02: 700 against 800 × 10/12 = 666.67: ahead, though the district's
        // 2,000 × 10/12 = 1,666.67 due would have judged it behind.
        let t02 = try unit(screening, "T02")
        #expect(t02.quota == 800 && abs(t02.due! - 2_000.0 / 3) < 1e-9 && t02.done == 700 && t02.met == true)
        // The district itself: 1,650 against 1,666.67, behind.
        #expect(screening.yearToDate?.value == 1_650 && screening.met == false)
        // Ranked on the share of its quota done (87.5 % against 79.2 %), not on raw counts.
        #expect(t02.rank == 1 && t01.rank == 2)
        // 1,200 + 800 is the plan's 2,000: nothing to say.
        #expect(screening.quotaTotal == 2_000 && screening.plannedVolume == 2_000 && screening.quotasAddUp == true)
        let table = report.table()
        #expect(table.contains("quota 1200: 950 of 1000 due") && table.contains("quota 800: 700 of 666.67 due"))
        #expect(table.contains("T01 青禾镇  筛查人数  quota 1200: 950 of 1000 due"), "\(table)")
        #expect(!table.contains("do not add up") && !table.contains("add up to"))
        let json = report.json().text
        #expect(json.contains(#""quota":800,"due":666.67,"done":700"#), "\(json)")
    }

    @Test func quotasThatDoNotAddUpAreNamedAndOtherYearsIgnored() throws {
        // 1,200 + 900 = 2,100 against the plan's 2,000; 2025's quotas play no part.
        let report = report(
            october, quotas: quotas("SCREENING_COUNT", 1_200, 900) + quotas("SCREENING_COUNT", 5, 5, year: 2025))
        let screening = try line(report, "SCREENING_COUNT")
        #expect(screening.quotaTotal == 2_100 && screening.quotasAddUp == false)
        #expect(try unit(screening, "T02").due == 750)  // 900 × 10/12; 700 done
        #expect(try unit(screening, "T02").met == false)
        #expect(
            report.table().contains("筛查人数: the units' quotas for 2026 add up to 2100, the plan sets 2000"),
            "\(report.table())")
    }

    @Test func aTaskCompletionUnitIsJudgedOnTheWorkDone() throws {
        // Tests done against planned tests: T01's quota 1,200 tests, T02's 900.
        let report = report(october, quotas: quotas("TEST_COMPLETION_RATE", 1_200, 900))
        let tests = try line(report, "TEST_COMPLETION_RATE")
        // The unit's rate is still against the stations' own plan (950 / 1,000)...
        let t01 = try unit(tests, "T01")
        #expect(t01.yearToDate == 95)
        // ...but it is judged on 950 tests done against 1,000 due.
        #expect(t01.done == 950 && t01.due == 1_000 && t01.met == false)
        // The stations planned 1,000 each: 2,000, not the units' 2,100.
        #expect(tests.plannedVolume == 2_000 && tests.quotasAddUp == false)
        #expect(report.table().contains("the stations planned 2000"))
    }

    @Test func aYearReportJudgesAUnitOnItsWholeQuota() throws {
        // The whole of 2026 (figures stop in October): T02's 700 against all 800.
        let report = report(try #require(ReportPeriod("2026")), quotas: quotas("SCREENING_COUNT", 1_200, 800))
        let t02 = try unit(try line(report, "SCREENING_COUNT"), "T02")
        #expect(t02.due == 800 && t02.done == 700 && t02.met == false)
    }
}
