import Foundation
import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

@Suite struct CatalogTests {
    let catalog = Catalog.builtIn

    @Test func builtInCatalogIsExactlySeedsCatalogJSON() throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds/catalog.json")
        let file = try String(contentsOf: seeds, encoding: .utf8)
        #expect(
            file.trimmingCharacters(in: .newlines) == embeddedCatalogJSON.trimmingCharacters(in: .newlines),
            "run scripts/embed-catalog.sh after editing seeds/catalog.json")
    }

    @Test func everyExpressionNamesKnownElements() {
        for indicator in catalog.indicators {
            for element in indicator.numeratorElements + indicator.denominatorElements {
                #expect(catalog.isKnownElement(element), "\(indicator.code) names \(element)")
            }
        }
        for rule in catalog.rules {
            for element in rule.elements { #expect(catalog.isKnownElement(element), "\(rule.code) names \(element)") }
        }
    }

    /// The catalog as JSON, to see which keys are written (the decoder fills
    /// in defaults for missing optional keys, so it cannot tell).
    func rawCatalog() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(embeddedCatalogJSON.utf8)) as? [String: Any])
    }

    func indicator(_ code: String) throws -> Catalog.Indicator {
        try #require(catalog.indicators.first { $0.code == code })
    }

    @Test func everyIndicatorHasATargetWithAKnownPlanAndSource() throws {
        #expect(catalog.indicators.count >= 25)
        let plans = Set(catalog.plans.map(\.id))
        for indicator in catalog.indicators {
            #expect(!indicator.targets.isEmpty, "\(indicator.code)")
            if indicator.denominatorElements.isEmpty {
                // A plain count: its value is the numerator's total.
                #expect(indicator.factor == 1, "\(indicator.code)")
            } else {
                #expect([100, 1_000, 100_000].contains(indicator.factor), "\(indicator.code)")
            }
            for target in indicator.targets {
                #expect(plans.contains(target.plan), "\(indicator.code)")
                #expect(target.source.hasSuffix(".txt") && !target.source.isEmpty, "\(indicator.code)")
                #expect(["<=", ">=", "between"].contains(target.direction), "\(indicator.code)")
                if target.direction == "between" {
                    let max = try #require(target.max, "\(indicator.code)")
                    #expect(max > target.value, "\(indicator.code)")
                }
                let quote = try #require(target.quote, "\(indicator.code) \(target.plan)")
                #expect(!quote.isEmpty && quote.count <= 20, "\(indicator.code) \(target.plan): \(quote)")
            }
        }
        #expect(plans.contains(catalog.defaultPlan))
        #expect(catalog.reportingDay == 24)
        // Every target says the period it is judged over, in the file itself.
        let raw = try rawCatalog()
        for case let indicator as [String: Any] in try #require(raw["indicators"] as? [Any]) {
            #expect(["month", "year"].contains(indicator["period"] as? String), "\(indicator["code"] ?? "?")")
            for case let target as [String: Any] in try #require(indicator["targets"] as? [Any]) {
                #expect(
                    ["year", "quarter", "month"].contains(target["period"] as? String),
                    "\(indicator["code"] ?? "?") \(target["plan"] ?? "?")")
            }
        }
    }

    @Test func everyElementSaysHowItsMonthsMakeAYear() throws {
        let raw = try rawCatalog()
        let elements = try #require(raw["data_elements"] as? [[String: Any]])
        #expect(elements.count == catalog.dataElements.count)
        for element in elements {
            #expect(["sum", "last"].contains(element["aggregation"] as? String), "\(element["code"] ?? "?")")
        }
        // Events of the month add up; stocks and people covered so far this
        // year are entered as the running figure and a year takes the last.
        for code in [
            "LIVE_BIRTHS", "DELIVERIES", "HOSPITAL_LIVE_BIRTHS", "STILLBIRTHS", "MATERNAL_DEATHS", "HPV_TESTS_DONE",
        ] {
            #expect(catalog.element(code)?.aggregation == .sum, "\(code)")
        }
        for code in [
            "RESIDENTS", "EHR_STANDARD", "FD_CONTRACTED", "SMI_REGISTERED", "NCMS_ENROLLED", "CHILDREN_UNDER7_MANAGED",
            "CHILDREN_UNDER3_MANAGED", "HPV_TESTS_PLANNED",
        ] {
            #expect(catalog.element(code)?.aggregation == .last, "\(code)")
        }
    }

    @Test func maternalRatesDivideByLiveBirthsAsTheNationalDefinitionsDo() throws {
        for code in [
            "EARLY_PREGNANCY_REGISTRATION_RATE", "MATERNAL_BOOKLET_RATE", "PRENATAL_CARE_RATE", "POSTPARTUM_VISIT_RATE",
            "MATERNAL_SYSTEM_MANAGEMENT_RATE", "HOSPITAL_DELIVERY_RATE",
        ] {
            let rate = try indicator(code)
            #expect(rate.denominator == "LIVE_BIRTHS", "\(code)")
            #expect(rate.definition?.isEmpty == false, "\(code) cites its definition")
        }
        // Hospital delivery counts births, not women; the women's count stays an element.
        #expect(try indicator("HOSPITAL_DELIVERY_RATE").numerator == "HOSPITAL_LIVE_BIRTHS")
        #expect(catalog.isKnownElement("HOSPITAL_DELIVERIES"))
        // Ten women: eight singletons, one twin pair, one stillbirth: ten live
        // births, one stillbirth. Deliveries may not exceed births of either kind.
        let deliveries = try #require(catalog.rules.first { $0.code == "DELIVERIES_LE_LIVE_AND_STILLBIRTHS" })
        #expect(deliveries.severity == "error")
        #expect(deliveries.holds(["DELIVERIES": 10, "LIVE_BIRTHS": 10, "STILLBIRTHS": 1]) == true)
        #expect(deliveries.holds(["DELIVERIES": 12, "LIVE_BIRTHS": 10, "STILLBIRTHS": 1]) == false)
        // Women counted against live births may pass 100 % (a stillbirth), so
        // that check only warns; against women who delivered it is an error.
        let women = catalog.rules.filter { $0.left == "PREGNANT_REGISTERED_EARLY" }
        #expect(women.first { $0.right == "LIVE_BIRTHS" }?.severity == "warning")
        #expect(women.first { $0.right == "DELIVERIES" }?.severity == "error")
    }

    @Test func rulesCatchTheDemosCriticalCasesAndNoRuleIsSaidTwice() throws {
        let critical = try #require(
            catalog.rules.first { $0.code == "CRITICAL_MATERNAL_HOSPITAL_LE_HOSPITAL_DELIVERIES" })
        #expect(critical.holds(["CRITICAL_MATERNAL_HOSPITAL_DELIVERIES": 44, "HOSPITAL_DELIVERIES": 40]) == false)
        #expect(critical.holds(["CRITICAL_MATERNAL_HOSPITAL_DELIVERIES": 1, "HOSPITAL_DELIVERIES": 40]) == true)
        var said = Set<String>()
        for rule in catalog.rules {
            // Constants count: 100 * A <= 80 * B (a bound) is not A <= B.
            let key =
                "\(Set(Catalog.terms(of: rule.left).map(\.description)).sorted()) \(rule.operator) \(Set(Catalog.terms(of: rule.right).map(\.description)).sorted())"
            #expect(said.insert(key).inserted, "\(rule.code) repeats another rule")
        }
        #expect(!catalog.rules.contains { $0.code == "SMI_REGISTERED_LE_RESIDENTS" })
    }

    @Test func eachPartOfTheMCHCollectionIsItsOwnPlan() throws {
        let collection = catalog.plans.filter { $0.source == "002_fc061e6bd3cb188a.txt" }
        #expect(collection.count >= 5)
        #expect(Set(collection.compactMap(\.part)).count == collection.count)
        let mch = try #require(catalog.plans.first { $0.id == "mch-plans" })
        #expect(mch.part == "篇四" && mch.year == 2013)
        #expect(catalog.defaultPlan == "mch-plans")
        // No plan carries two targets for one indicator, so the contradictions
        // of the merged collection (5‰ against 12‰, 30 % against 70 %) now sit in different plans.
        for indicator in catalog.indicators {
            #expect(Set(indicator.targets.map(\.plan)).count == indicator.targets.count, "\(indicator.code)")
        }
        let infant = try indicator("INFANT_MORTALITY_RATE")
        #expect(infant.target(plan: "mch-2-part3")?.value == 5)
        #expect(infant.target(plan: "mch-2-part5")?.value == 12)
        let folic = try indicator("FOLIC_ACID_COMPLIANCE_RATE")
        #expect(folic.target(plan: "mch-2-part2")?.value == 30)
        #expect(folic.target(plan: "mch-plans")?.value == 70)
    }

    @Test func targetsCarryTheirPeriodMilestonesBandsAndScope() throws {
        let cards = try #require(try indicator("HEALTH_CARD_DATA_COLLECTION_RATE").target(plan: "xihu-2017"))
        #expect(cards.milestones.map(\.by) == ["06-01", "09-01", "12-01"])
        #expect(cards.milestones.map(\.value) == [30, 50, 80])
        #expect(cards.value == 80 && cards.period == .year)
        // 000: the volume may be neither more nor less than 10 % off: 90–110 %.
        let larc = try #require(try indicator("LARC_HEALTH_CHECK_COMPLETION_RATE").target(plan: "changping-2015"))
        #expect(larc.direction == "between" && larc.value == 90 && larc.max == 110)
        #expect(larc.isMet(by: 100) && !larc.isMet(by: 89) && !larc.isMet(by: 111))
        // 003's 90 % is for city communities only.
        let doctors = try #require(try indicator("FAMILY_DOCTOR_CONTRACT_RATE").target(plan: "changchun-2012"))
        #expect(doctors.scope == "urban")
        // Mortality, the sex ratio and the birth rate are year measures; the
        // birth rate is per population per year, so a part year is annualised.
        for code in ["MATERNAL_MORTALITY_RATE", "INFANT_MORTALITY_RATE", "SEX_RATIO_AT_BIRTH", "CRUDE_BIRTH_RATE"] {
            #expect(try indicator(code).period == .year, "\(code)")
        }
        #expect(try indicator("CRUDE_BIRTH_RATE").annualise)
        #expect(try !indicator("INFANT_MORTALITY_RATE").annualise)
    }

    @Test func plainCountsHaveNoDenominator() throws {
        let births = try indicator("HOUSEHOLD_REG_BIRTH_COUNT")
        #expect(births.denominator == "" && births.denominatorElements.isEmpty && births.factor == 1)
        #expect(births.target(plan: "changping-2015")?.value == 10_000)
        #expect(births.target(plan: "changping-2015")?.direction == "<=")
        #expect(births.target(plan: "mch-2-part8")?.value == 9_500)
        let villages = try indicator("TB_SCREENED_VILLAGE_COUNT")
        #expect(villages.target(plan: "changping-2015")?.value == 17)
        #expect(villages.target(plan: "changping-2015")?.direction == ">=")
    }

    @Test func codesAreUniqueAndWellFormed() throws {
        let codes = catalog.dataElements.map(\.code)
        #expect(Set(codes).count == codes.count)
        for code in codes { try Identifiers.validateElement(code) }
        #expect(Set(catalog.indicators.map(\.code)).count == catalog.indicators.count)
    }

    @Test func mistypedCodeGetsTheClosestKnownCodes() {
        #expect(catalog.suggestions(for: "LIVE_BIRTH").first == "LIVE_BIRTHS")
        #expect(catalog.suggestions(for: "deliveries").contains("DELIVERIES"))
    }

    @Test func ruleHoldsOnlyWhenEveryElementHasAValue() throws {
        let rule = try #require(catalog.rules.first { $0.operator == "<=" && $0.severity == "error" })
        let left = rule.elements[0]
        #expect(rule.holds([left: 1]) == nil)
        var values: [String: Int] = [:]
        for element in rule.elements { values[element] = 5 }
        #expect(rule.holds(values) == true)
        values[left] = 1_000
        #expect(rule.holds(values) == false)
    }

    @Test func elementsAreFoundByCodeInAnyCaseOrByTheirChineseName() throws {
        let catalog = Catalog.builtIn
        #expect(Set(catalog.dataElements.map(\.nameZH)).count == catalog.dataElements.count)
        #expect(catalog.element(typed: "活产数")?.code == "LIVE_BIRTHS")
        #expect(catalog.element(typed: " live_births ")?.code == "LIVE_BIRTHS")
        #expect(catalog.element(typed: "活产") == nil)
        #expect(catalog.suggestions(for: "活产").first == "LIVE_BIRTHS")
    }
}
