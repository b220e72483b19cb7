import Foundation
import SyncModel

/// The data elements stations tally, the indicators computed from them with
/// their targets per work plan, and the validation rules: from seeds/catalog.json.
public struct Catalog: Decodable, Sendable {
    public struct Plan: Decodable, Sendable {
        public let id: String
        public let nameZH: String
        public let nameEN: String
        public let source: String
        enum CodingKeys: String, CodingKey {
            case id, source
            case nameZH = "name_zh", nameEN = "name_en"
        }
    }

    public struct DataElement: Decodable, Sendable {
        public let code: String
        public let nameZH: String
        public let nameEN: String
        public let unit: String
        enum CodingKeys: String, CodingKey {
            case code, unit
            case nameZH = "name_zh", nameEN = "name_en"
        }
    }

    public struct Target: Decodable, Sendable {
        public let plan: String
        public let value: Double
        /// ">=": a floor (higher is better); "<=": a ceiling.
        public let direction: String
        public let source: String

        /// Whether `value` meets this target.
        public func isMet(by value: Double) -> Bool {
            direction == "<=" ? value <= self.value : value >= self.value
        }
    }

    public struct Indicator: Decodable, Sendable {
        public let code: String
        public let nameZH: String
        public let nameEN: String
        public let numerator: String
        public let denominator: String
        public let factor: Double
        public let targets: [Target]
        enum CodingKeys: String, CodingKey {
            case code, numerator, denominator, factor, targets
            case nameZH = "name_zh", nameEN = "name_en"
        }

        public var numeratorElements: [String] { Catalog.elements(of: numerator) }
        public var denominatorElements: [String] { Catalog.elements(of: denominator) }

        /// The target of `plan`, if that plan sets one.
        public func target(plan: String) -> Target? { targets.first { $0.plan == plan } }
    }

    public struct Rule: Decodable, Sendable {
        public let code: String
        public let left: String
        public let `operator`: String
        public let right: String
        /// "error" refuses the entry; "warning" lets it through with a message.
        public let severity: String
        public let nameZH: String
        public let nameEN: String
        enum CodingKeys: String, CodingKey {
            case code, left, `operator`, right, severity
            case nameZH = "name_zh", nameEN = "name_en"
        }

        public var elements: [String] { Catalog.elements(of: left) + Catalog.elements(of: right) }

        /// True or false when every element has a value; nil otherwise.
        public func holds(_ values: [String: Int]) -> Bool? {
            guard let lhs = Catalog.sum(left, values), let rhs = Catalog.sum(right, values) else { return nil }
            switch `operator` {
            case "<=": return lhs <= rhs
            case ">=": return lhs >= rhs
            default: return lhs == rhs
            }
        }
    }

    public let version: Int
    /// Villages report by this day of the following month (the 24th in the seed plans).
    public let reportingDay: Int
    public let plans: [Plan]
    public let defaultPlan: String
    public let dataElements: [DataElement]
    public let indicators: [Indicator]
    public let rules: [Rule]

    enum CodingKeys: String, CodingKey {
        case version, plans, indicators, rules
        case reportingDay = "reporting_day", defaultPlan = "default_plan", dataElements = "data_elements"
    }

    /// The catalog built into this program (from seeds/catalog.json).
    public static let builtIn: Catalog = {
        do {
            return try JSONDecoder().decode(Catalog.self, from: Data(embeddedCatalogJSON.utf8))
        } catch {
            fatalError("the built-in catalog does not decode: \(error)")
        }
    }()

    public func element(_ code: String) -> DataElement? { dataElements.first { $0.code == code } }

    public func isKnownElement(_ code: String) -> Bool { element(code) != nil }

    /// The element a clerk means: its code in any case (`live_births`), or
    /// its Chinese name as the work plans write it (`活产数`), spaces around
    /// it ignored. Chinese names are unique in the catalog (a test pins it).
    public func element(typed text: String) -> DataElement? {
        let typed = text.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
        if let exact = element(typed) { return exact }
        let upper = typed.uppercased()
        return dataElements.first { $0.code == upper || $0.nameZH == typed }
    }

    /// A schema that refuses tallies of elements this catalog does not know.
    public var schema: EntitySchema {
        let codes = Set(dataElements.map(\.code))
        return EntitySchema(isKnownElement: { codes.contains($0) })
    }

    /// The known codes closest to a mistyped one.
    public func suggestions(for code: String, count: Int = 3) -> [String] {
        let typed = code.uppercased()
        var scored: [(code: String, score: Int)] = []
        for element in dataElements {
            let related = element.code.contains(typed) || typed.contains(element.code)
            // Part of a Chinese name (活产 for 活产数) is the strongest hint.
            let named = !code.isEmpty && element.nameZH.contains(code)
            scored.append(
                (element.code, Catalog.distance(typed, element.code) - (related ? 10 : 0) - (named ? 100 : 0)))
        }
        scored.sort { $0.score != $1.score ? $0.score < $1.score : $0.code < $1.code }
        return scored.prefix(count).map(\.code)
    }

    /// Rules that mention `element`.
    public func rules(involving element: String) -> [Rule] {
        rules.filter { $0.elements.contains(element) }
    }

    // MARK: - Expressions: element codes joined by " + "

    static func elements(of expression: String) -> [String] {
        expression.split(separator: "+").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// The sum of an expression's elements, or nil when one has no value.
    static func sum(_ expression: String, _ values: [String: Int]) -> Int? {
        var total = 0
        for element in elements(of: expression) {
            guard let value = values[element] else { return nil }
            total += value
        }
        return total
    }

    /// Edit distance between two codes.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
