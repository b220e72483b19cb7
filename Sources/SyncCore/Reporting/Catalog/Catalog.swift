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
        /// The part (篇) of a seed that holds several plans.
        public let part: String?
        /// The year the plan is for, when it says.
        public let year: Int?
        enum CodingKeys: String, CodingKey {
            case id, source, part, year
            case nameZH = "name_zh", nameEN = "name_en"
        }
    }

    /// How a data element's months make a quarter or a year.
    public enum Aggregation: String, Decodable, Sendable {
        /// Events counted in the month: a longer period adds its months.
        case sum
        /// A stock, or people covered so far this year, entered as the
        /// running figure at the month's end: a longer period takes its
        /// last month's figure.
        case last
    }

    public struct DataElement: Decodable, Sendable {
        public let code: String
        public let nameZH: String
        public let nameEN: String
        public let unit: String
        public let aggregation: Aggregation
        enum CodingKeys: String, CodingKey {
            case code, unit, aggregation
            case nameZH = "name_zh", nameEN = "name_en"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try container.decode(String.self, forKey: .code)
            nameZH = try container.decode(String.self, forKey: .nameZH)
            nameEN = try container.decode(String.self, forKey: .nameEN)
            unit = try container.decode(String.self, forKey: .unit)
            aggregation = try container.decodeIfPresent(Aggregation.self, forKey: .aggregation) ?? .sum
        }
    }

    /// The period a target is judged over, or an indicator's targets are.
    public enum PeriodKind: String, Decodable, Sendable {
        case month, quarter, year
    }

    /// A dated step of a target: `value` is due by `by` (MM-DD).
    public struct Milestone: Decodable, Sendable {
        public let by: String
        public let value: Double
    }

    public struct Target: Decodable, Sendable {
        public let plan: String
        /// The year-end figure (the last milestone's, when there are milestones).
        public let value: Double
        /// ">=": a floor (higher is better); "<=": a ceiling; "between":
        /// from `value` to `max`, both included (a band).
        public let direction: String
        public let max: Double?
        public let source: String
        /// The period the target is for (most plan targets are annual).
        public let period: PeriodKind
        public let milestones: [Milestone]
        /// "urban" or "rural" when the plan sets it for one kind of community only.
        public let scope: String?
        public let quote: String?

        enum CodingKeys: String, CodingKey {
            case plan, value, direction, max, source, period, milestones, scope, quote
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            plan = try container.decode(String.self, forKey: .plan)
            value = try container.decode(Double.self, forKey: .value)
            direction = try container.decode(String.self, forKey: .direction)
            max = try container.decodeIfPresent(Double.self, forKey: .max)
            source = try container.decode(String.self, forKey: .source)
            period = try container.decodeIfPresent(PeriodKind.self, forKey: .period) ?? .year
            milestones = try container.decodeIfPresent([Milestone].self, forKey: .milestones) ?? []
            scope = try container.decodeIfPresent(String.self, forKey: .scope)
            quote = try container.decodeIfPresent(String.self, forKey: .quote)
        }

        /// The figure in force for a report whose period ends on `end`: the
        /// last milestone already due by the next day (30 % due by 1 June
        /// judges May and June alike), nil before the first is due; without
        /// milestones, the year's value.
        public func value(forPeriodEnding end: CalendarDate) -> Double? {
            guard !milestones.isEmpty else { return value }
            let next = CalendarDate(daysSince1970: end.daysSince1970 + 1)
            var due: Double?
            for milestone in milestones {
                let parts = milestone.by.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2 else { continue }
                if next.year > end.year || (parts[0], parts[1]) <= (next.month, next.day) { due = milestone.value }
            }
            return due
        }

        /// Whether `value` meets the target, whose figure in force is `figure`.
        public func isMet(by value: Double, figure: Double? = nil) -> Bool {
            let floor = figure ?? self.value
            switch direction {
            case "<=": return value <= floor
            case "between": return value >= floor && value <= (max ?? .infinity)
            default: return value >= floor
            }
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
        /// The period its targets are judged over: a monthly report judges a
        /// yearly indicator on the year to date.
        public let period: PeriodKind
        /// A rate per population per year: a part-year figure is scaled by
        /// 12 / the months it covers.
        public let annualise: Bool
        /// The national definition followed, cited.
        public let definition: String?
        enum CodingKeys: String, CodingKey {
            case code, numerator, denominator, factor, targets, period, annualise, definition
            case nameZH = "name_zh", nameEN = "name_en"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try container.decode(String.self, forKey: .code)
            nameZH = try container.decode(String.self, forKey: .nameZH)
            nameEN = try container.decode(String.self, forKey: .nameEN)
            numerator = try container.decode(String.self, forKey: .numerator)
            denominator = try container.decode(String.self, forKey: .denominator)
            factor = try container.decode(Double.self, forKey: .factor)
            targets = try container.decode([Target].self, forKey: .targets)
            period = try container.decodeIfPresent(PeriodKind.self, forKey: .period) ?? .month
            annualise = try container.decodeIfPresent(Bool.self, forKey: .annualise) ?? false
            definition = try container.decodeIfPresent(String.self, forKey: .definition)
        }

        /// A plain count (no denominator): its value is the numerator.
        public var isCount: Bool { denominatorElements.isEmpty }

        /// Done against a yearly quota (the denominator is a `…_PLANNED`
        /// figure): like a count, judged against the share of the year gone.
        public var isQuotaCompletion: Bool {
            !denominatorElements.isEmpty && denominatorElements.allSatisfy { $0.hasSuffix("_PLANNED") }
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
