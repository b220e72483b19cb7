import Foundation
import Testing
@testable import Reporting
@testable import SyncModel

/// 人口自然增长率, an indicator whose numerator subtracts (births less
/// deaths), a value below 0 in every format, and the CSV's unit rows. Every
/// figure is worked out by hand beside its check.
@Suite struct NaturalGrowthTests {
    let catalog = Catalog.builtIn

    func line(_ report: DistrictReport, _ code: String) throws -> DistrictReport.IndicatorLine {
        try #require(report.lines.first { $0.indicator.code == code })
    }

    /// Rates are Doubles: -5 / 12,000 × 1,000 × 12 need not come out as -5 exactly.
    func close(_ value: Double?, _ expected: Double) -> Bool {
        value.map { abs($0 - expected) < 1e-9 } ?? false
    }

    func cell(_ station: String, _ element: String, _ month: Int, _ value: Int) -> DistrictReport.Cell {
        DistrictReport.Cell(
            station: station, element: element, period: Period(year: 2026, month: month), value: value,
            inConflict: false)
    }

    /// The months of one station: births and deaths a month, its residents
    /// (entered as the running figure, the same every month here).
    func months(_ station: String, _ figures: [(births: Int, deaths: Int)], residents: Int) -> [DistrictReport.Cell] {
        figures.enumerated().flatMap { index, figure in
            [
                cell(station, "LIVE_BIRTHS", index + 1, figure.births),
                cell(station, "DEATHS", index + 1, figure.deaths),
                cell(station, "RESIDENTS", index + 1, residents),
            ]
        }
    }

    func report(_ period: String, plan: String = "xihu-2017", _ cells: [DistrictReport.Cell]) throws
        -> DistrictReport
    {
        DistrictReport(
            period: try #require(ReportPeriod(period)), plan: plan, catalog: catalog, cells: cells,
            registered: Array(Set(cells.map(\.station))).sorted(), submitted: [:], reportingDay: 24)
    }

    /// A year of S01: 10 births a month (120); 13 deaths a month to June
    /// and 12 from July (78 + 72 = 150); 12,000 residents.
    var s01Year: [DistrictReport.Cell] {
        months("S01", (1...12).map { (10, $0 <= 6 ? 13 : 12) }, residents: 12_000)
    }

    @Test func theCatalogSubtractsDeathsFromBirthsAndCarriesBothPlansTargets() throws {
        let growth = try #require(catalog.indicators.first { $0.code == "NATURAL_GROWTH_RATE" })
        #expect(growth.nameZH == "人口自然增长率")
        #expect(growth.numerator == "LIVE_BIRTHS - DEATHS" && growth.denominator == "RESIDENTS")
        // Element codes only, the subtracted one included: which elements a
        // station must enter for the indicator.
        #expect(growth.numeratorElements == ["LIVE_BIRTHS", "DEATHS"])
        #expect(Catalog.elements(of: "LIVE_BIRTHS - DEATHS") == ["LIVE_BIRTHS", "DEATHS"])
        // Annualised per 1,000 over the year, as the crude birth rate is.
        let births = try #require(catalog.indicators.first { $0.code == "CRUDE_BIRTH_RATE" })
        #expect(growth.factor == births.factor && growth.factor == 1_000)
        #expect(growth.annualise && births.annualise && growth.period == .year)
        #expect(catalog.element("DEATHS")?.aggregation == .sum)
        // Xihu 2017: at most 6.05 ‰; Shunyi (seed 002, part 8): about 8 ‰.
        let xihu = try #require(growth.target(plan: "xihu-2017"))
        #expect(xihu.value == 6.05 && xihu.direction == "<=" && xihu.period == .year)
        let shunyi = try #require(growth.target(plan: "mch-2-part8"))
        #expect(shunyi.value == 8 && shunyi.direction == "<=" && shunyi.quote == "人口自然增長率在8‰左右")
        // 12 births less 15 deaths is -3; without a death figure, no value.
        #expect(growth.numeratorValue(["LIVE_BIRTHS": 12, "DEATHS": 15]) == -3)
        #expect(growth.numeratorValue(["LIVE_BIRTHS": 12]) == nil)
        #expect(growth.denominatorValue(["RESIDENTS": 12_000]) == 12_000)
    }

    @Test func aYearOfMoreDeathsThanBirthsIsMinus2Point5PerMilleAndMeetsTheCeiling() throws {
        let year = try report("2026", s01Year)
        let growth = try line(year, "NATURAL_GROWTH_RATE")
        // (120 - 150) / 12,000 × 1,000 = -2.5 ‰; twelve months, so × 12/12.
        #expect(growth.numerator == -30 && growth.denominator == 12_000)
        #expect(close(growth.value, -2.5))
        #expect(growth.stations.count == 1 && close(growth.stations[0].value, -2.5))
        #expect(growth.stations.allSatisfy { $0.included })
        // -2.5 ≤ 6.05: met, on the year itself.
        #expect(growth.met == true && growth.judgedOn == .period)
        // The birth rate of the same figures: 120 / 12,000 × 1,000 = 10 ‰.
        #expect(close(try line(year, "CRUDE_BIRTH_RATE").value, 10))
    }

    @Test func aMonthIsAnnualisedAndJudgedOnTheYearToDate() throws {
        // January 10 births, 15 deaths; February 8, 14; March 12, 11; 12,000 residents.
        let cells = months("S01", [(10, 15), (8, 14), (12, 11)], residents: 12_000)
        let january = try line(try report("2026-01", cells), "NATURAL_GROWTH_RATE")
        // (10 - 15) / 12,000 × 1,000 × 12/1 = -5 ‰, and the year to date is January alone.
        #expect(close(january.value, -5) && close(january.yearToDate?.value, -5))
        #expect(january.judgedOn == .yearToDate && january.met == true)

        let march = try line(try report("2026-03", plan: "mch-2-part8", cells), "NATURAL_GROWTH_RATE")
        // March alone: (12 - 11) / 12,000 × 1,000 × 12 = 1 ‰.
        #expect(march.numerator == 1 && close(march.value, 1))
        // January to March: (30 - 40) / 12,000 × 1,000 × 12/3 = -3.33 ‰, within 8.
        let ytd = try #require(march.yearToDate)
        #expect(ytd.numerator == -10 && ytd.denominator == 12_000)
        #expect(close(ytd.value, -10.0 / 12_000 * 4_000) && march.met == true)
        #expect(DistrictReport.number(ytd.value) == "-3.33")

        // A month above the ceiling on its own does not fail a yearly
        // target: February 20 births, 5 deaths is (20 - 5) / 12,000 × 1,000
        // × 12 = 15 ‰, but January and February together are (30 - 20) / 12,000
        // × 1,000 × 6 = 5 ‰, within 6.05.
        let february = try line(
            try report("2026-02", months("S01", [(10, 15), (20, 5)], residents: 12_000)), "NATURAL_GROWTH_RATE")
        #expect(close(february.value, 15) && close(february.yearToDate?.value, 5))
        #expect(february.met == true)
    }

    /// A year of two stations in two townships: S01 (T01 青禾镇) as
    /// `s01Year`, -2.5 ‰; S02 (T02 松岭镇) 100 births and 110 deaths over
    /// 8,000 residents, (100 - 110) / 8,000 × 1,000 = -1.25 ‰. The district:
    /// (220 - 260) / 20,000 × 1,000 = -2 ‰.
    func twoTownships() throws -> DistrictReport {
        // S02: 9 births a month to April and 8 after (36 + 64 = 100); 10
        // deaths a month to February and 9 after (20 + 90 = 110).
        let s02 = months("S02", (1...12).map { ($0 <= 4 ? 9 : 8, $0 <= 2 ? 10 : 9) }, residents: 8_000)
        return DistrictReport(
            period: try #require(ReportPeriod("2026")), plan: "xihu-2017", catalog: catalog, cells: s01Year + s02,
            registered: ["S01", "S02"], submitted: [:], reportingDay: 24,
            stationNames: ["S01": "青禾卫生站", "S02": "松岭卫生站"], unitOf: ["S01": "T01", "S02": "T02"],
            unitNames: ["T01": "青禾镇", "T02": "松岭镇"])
    }

    @Test func aNegativeRateIsAFigureInTheTableTheCSVAndTheJSON() throws {
        let report = try twoTownships()
        let growth = try line(report, "NATURAL_GROWTH_RATE")
        #expect(growth.numerator == -40 && growth.denominator == 20_000 && close(growth.value, -2))
        let t01 = try #require(growth.units.first { $0.unit == "T01" })
        let t02 = try #require(growth.units.first { $0.unit == "T02" })
        #expect(t01.numerator == -30 && close(t01.value, -2.5) && t01.met == true)
        #expect(t02.numerator == -10 && close(t02.value, -1.25) && t02.met == true)
        // A ceiling ranks the lower figure first, below 0 as above it.
        #expect(t01.rank == 1 && t02.rank == 2)

        // The table: the district's row, then each unit and its station.
        let rows = report.table().split(separator: "\n").map(String.init)
        let start = try #require(rows.firstIndex { $0.hasPrefix("人口自然增长率") })
        let block = [rows[start]] + rows[(start + 1)...].prefix { $0.hasPrefix(" ") }
        let cells = block.map { $0.split(separator: " ").map(String.init) }
        #expect(cells.count == 5, "\(block)")
        #expect(cells[0].contains("-40") && cells[0].contains("20000") && cells[0].contains("-2"))
        #expect(cells[0].contains("✓"))
        #expect(block[1].contains("T01 青禾镇") && cells[1].contains("-30") && cells[1].contains("-2.5"))
        #expect(block[2].contains("S01 青禾卫生站") && cells[2].contains("-2.5"))
        #expect(block[3].contains("T02 松岭镇") && cells[3].contains("-1.25"))
        #expect(!block.joined().contains("no data"))

        // The CSV: the same figures, signed, in the numerator and value columns.
        var reader = CSVReader(bytes: report.csv())
        _ = try reader.nextRow()
        var csv: [[String]] = []
        while let row = try reader.nextRow() { csv.append(row) }
        let growthRows = csv.filter { $0[0] == "NATURAL_GROWTH_RATE" }
        #expect(growthRows.map { $0[3] } == ["全区 district", "T01 青禾镇", "S01", "T02 松岭镇", "S02"])
        #expect(growthRows.map { $0[4] } == ["-40", "-30", "-30", "-10", "-10"])
        #expect(growthRows.map { $0[6] } == ["-2", "-2.5", "-2.5", "-1.25", "-1.25"])
        #expect(growthRows[0][9] == "yes" && growthRows[1][9] == "yes")

        // The JSON: numbers below 0, never null.
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().encoded())) as? [String: Any])
        let indicators = try #require(json["indicators"] as? [[String: Any]])
        let entry = try #require(indicators.first { $0["code"] as? String == "NATURAL_GROWTH_RATE" })
        #expect(entry["numerator"] as? Int == -40 && entry["value"] as? Double == -2 && entry["met"] as? Bool == true)
        let units = try #require(entry["units"] as? [[String: Any]])
        #expect(units.map { $0["value"] as? Double } == [-2.5, -1.25])
        let stations = try #require(entry["stations"] as? [[String: Any]])
        #expect(stations.map { $0["value"] as? Double } == [-2.5, -1.25])
    }

    @Test func aRateThatRoundsToZeroFromBelowIsWrittenZero() throws {
        // One death and no birth in a year among 1,000,000 residents:
        // -1 / 1,000,000 × 1,000 = -0.001 ‰, 0 at two decimals, without a sign.
        let year = try report("2026", months("S01", [(0, 1)], residents: 1_000_000))
        let growth = try line(year, "NATURAL_GROWTH_RATE")
        #expect(growth.numerator == -1 && close(growth.value, -0.001))
        #expect(DistrictReport.number(growth.value) == "0")
        let json = String(decoding: year.json().encoded(), as: UTF8.self)
        #expect(!json.contains("-0.0") && !json.contains(":-0,"))
        #expect(DistrictReport.number(-2.5) == "-2.5" && DistrictReport.number(-2) == "-2")
    }

    // MARK: - Expressions that subtract

    func indicator(numerator: String, denominator: String) throws -> Catalog.Indicator {
        let json = """
            {"code":"TEST","name_zh":"测试","name_en":"Test","numerator":"\(numerator)","denominator":"\(denominator)",
             "factor":1000,"targets":[]}
            """
        return try JSONDecoder().decode(Catalog.Indicator.self, from: Data(json.utf8))
    }

    @Test func onlyAnIndicatorsNumeratorSubtractsAndOnlyElements() throws {
        // Signs need no spaces; each applies to the term after it:
        // 10 + 4 - 3 - 2 = 9.
        let sum = try indicator(numerator: "A + B - C-D", denominator: "E")
        #expect(sum.numeratorElements == ["A", "B", "C", "D"])
        #expect(sum.numeratorValue(["A": 10, "B": 4, "C": 3, "D": 2]) == 9)
        // Refused when the catalog is read, never guessed at: a subtracting
        // denominator, a constant, a sign with nothing before it.
        #expect(throws: DecodingError.self) { try indicator(numerator: "A", denominator: "E - F") }
        #expect(throws: DecodingError.self) { try indicator(numerator: "A - 2 * B", denominator: "E") }
        #expect(throws: DecodingError.self) { try indicator(numerator: "A - 5", denominator: "E") }
        #expect(throws: DecodingError.self) { try indicator(numerator: "- A", denominator: "E") }
        #expect(throws: DecodingError.self) { try indicator(numerator: "A + + B", denominator: "E") }
        #expect(throws: DecodingError.self) { try indicator(numerator: "", denominator: "E") }
        #expect(try indicator(numerator: "A", denominator: "").isCount)

        // A rule adds: `A - B <= C` is written `A <= B + C`.
        let rule = """
            {"code":"R","left":"LIVE_BIRTHS - DEATHS","operator":"<=","right":"RESIDENTS","severity":"warning",
             "name_zh":"测试","name_en":"test"}
            """
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Catalog.Rule.self, from: Data(rule.utf8)) }
    }

    // MARK: - Unit rows in the CSV

    @Test func theCSVHasEachUnitsSubtotalBetweenTheDistrictAndItsStations() throws {
        // Screenings in March 2026 (the year to date in brackets): S01 50 a
        // month (150) and S02 20 (60), both in T01; S03 40 (120) in T02; S04
        // 10 (30) in no unit. Each unit has a quota of 600 a year, due by
        // March 600 × 3/12 = 150.
        let figures = ["S01": 50, "S02": 20, "S03": 40, "S04": 10]
        let cells = (1...3).flatMap { month in
            figures.map { station, done in
                DistrictReport.Cell(
                    station: station, element: "SCREENED", period: Period(year: 2026, month: month), value: done,
                    inConflict: false)
            }
        }
        let report = DistrictReport(
            period: ReportPeriod(month: Period(year: 2026, month: 3)), plan: "p", catalog: UnitQuotaReportTests.catalog,
            cells: cells, registered: ["S01", "S02", "S03", "S04"],
            submitted: ["S01": [Period(year: 2026, month: 3): 0], "S03": [Period(year: 2026, month: 3): 0]],
            reportingDay: 24, stationNames: ["S01": "青禾卫生站"],
            unitOf: ["S01": "T01", "S02": "T01", "S03": "T02"], unitNames: ["T01": "青禾镇", "T02": "松岭镇"],
            quotas: [
                DistrictReport.Quota(indicator: "SCREENING_COUNT", unit: "T01", year: 2026, value: 600),
                DistrictReport.Quota(indicator: "SCREENING_COUNT", unit: "T02", year: 2026, value: 600),
            ])
        var reader = CSVReader(bytes: report.csv())
        let header = try #require(try reader.nextRow())
        // The first sixteen columns are where they were; the new ones follow.
        #expect(header[3] == "机构 station" && header[15] == "判断依据 judged on")
        #expect(Array(header[16...]) == ["层级 level", "所属单位 unit", "排名 rank", "任务 quota", "序时 due", "完成 done"])
        var rows: [[String]] = []
        while let row = try reader.nextRow() { rows.append(row) }
        #expect(rows.allSatisfy { $0.count == header.count })
        let screening = rows.filter { $0[0] == "SCREENING_COUNT" }
        #expect(screening.map { $0[3] } == ["全区 district", "T01 青禾镇", "S01", "S02", "T02 松岭镇", "S03", "S04"])
        #expect(screening.map { $0[16] } == ["district", "unit", "station", "station", "unit", "station", "station"])
        #expect(screening.map { $0[17] } == ["", "T01", "T01", "T01", "T02", "T02", ""])

        // T01: 70 in March, 210 this year against 150 due: met, first on
        // the share of its quota done (210 / 600 = 0.35 against 120 / 600 = 0.2).
        let t01 = screening[1]
        #expect(t01[4] == "70" && t01[5] == "" && t01[6] == "70" && t01[9] == "yes")
        #expect(t01[11] == "青禾镇" && t01[12] == "1/2" && t01[14] == "210" && t01[15] == "quota")
        #expect(Array(t01[18...]) == ["1", "600", "150", "210"])
        // A unit on a quota of its own shows no district target beside it.
        #expect(t01[7] == "")
        // T02: 40 in March, 120 this year against 150 due: not met, second.
        let t02 = screening[4]
        #expect(t02[6] == "40" && t02[9] == "no" && t02[12] == "1/1" && t02[14] == "120")
        #expect(Array(t02[18...]) == ["2", "600", "150", "120"])
        // The district: 120 in March; 360 this year against 2,000 × 3/12 = 500 due.
        let district = screening[0]
        #expect(district[6] == "120" && district[14] == "360" && district[9] == "no" && district[15] == "schedule")
        // Stations keep their own columns: S01's name, nothing in the unit's ones.
        #expect(
            screening[2][11] == "青禾卫生站" && screening[2][6] == "50" && Array(screening[2][18...]) == ["", "", "", ""])

        // A task completion's unit row: the rate of the planned tests done,
        // judged on the district's target (no quota set for it): no rows
        // for TEST_COMPLETION_RATE here, since no station entered tests.
        #expect(rows.filter { $0[0] == "TEST_COMPLETION_RATE" }.count == 1)
    }
}
