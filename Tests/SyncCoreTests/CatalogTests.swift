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

    @Test func everyIndicatorHasATargetWithAKnownPlanAndSource() {
        #expect(catalog.indicators.count >= 25)
        let plans = Set(catalog.plans.map(\.id))
        for indicator in catalog.indicators {
            #expect(!indicator.targets.isEmpty, "\(indicator.code)")
            #expect([100, 1_000, 100_000].contains(indicator.factor), "\(indicator.code)")
            for target in indicator.targets {
                #expect(plans.contains(target.plan), "\(indicator.code)")
                #expect(target.source.hasSuffix(".txt") && !target.source.isEmpty, "\(indicator.code)")
                #expect(["<=", ">="].contains(target.direction), "\(indicator.code)")
            }
        }
        #expect(plans.contains(catalog.defaultPlan))
        #expect(catalog.reportingDay == 24)
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
