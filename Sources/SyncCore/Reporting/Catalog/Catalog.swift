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
        /// Element codes joined by ` + `, each later one may be subtracted
        /// instead (` - DEATHS`): births less deaths is a natural growth.
        public let numerator: String
        /// Element codes joined by ` + `; empty for a plain count.
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
        let numeratorTerms: [Term]
        let denominatorTerms: [Term]
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
            numeratorTerms = Catalog.terms(of: numerator)
            denominatorTerms = Catalog.terms(of: denominator)
            // Refused here, as a rule's sides are: a figure computed from an
            // expression read wrongly looks like any other. Constants have no
            // meaning in a rate's parts, and a denominator that subtracts
            // could reach 0 or below for a real population.
            let bare = { (term: Term) in
                term.isWellFormed && term.element != nil && term.digits == 1 && term.decimals == 0
            }
            if numeratorTerms.isEmpty || !numeratorTerms.allSatisfy(bare) {
                let bad = numeratorTerms.first { !bare($0) }?.written ?? ""
                throw DecodingError.dataCorruptedError(
                    forKey: .numerator, in: container,
                    debugDescription: "indicator \(code): '\(bad)' is not ELEMENT (terms joined by + or -)")
            }
            if let bad = denominatorTerms.first(where: { !bare($0) || $0.isSubtracted }) {
                throw DecodingError.dataCorruptedError(
                    forKey: .denominator, in: container,
                    debugDescription: "indicator \(code): '\(bad.written)' is not ELEMENT (terms joined by +)")
            }
        }

        /// The numerator's value: its elements added, or subtracted where
        /// written so (it may be below 0); nil when one has no value.
        public func numeratorValue(_ values: [String: Int]) -> Int? {
            Catalog.scaledValue(numeratorTerms, scale: 0, values)
        }

        /// The denominator's value (0 for a count); nil when an element has no value.
        public func denominatorValue(_ values: [String: Int]) -> Int? {
            Catalog.scaledValue(denominatorTerms, scale: 0, values)
        }

        /// A plain count (no denominator): its value is the numerator.
        public var isCount: Bool { denominatorElements.isEmpty }

        /// Done against a yearly quota (the denominator is a `…_PLANNED`
        /// figure, or `…_PLANNED_STUDENTS` and the like): like a count,
        /// judged against the share of the year gone.
        public var isQuotaCompletion: Bool {
            !denominatorElements.isEmpty
                && denominatorElements.allSatisfy { $0.hasSuffix("_PLANNED") || $0.contains("_PLANNED_") }
        }

        /// The codes the numerator reads, subtracted ones included.
        public var numeratorElements: [String] { numeratorTerms.compactMap(\.element) }
        public var denominatorElements: [String] { denominatorTerms.compactMap(\.element) }

        /// The target of `plan`, if that plan sets one.
        public func target(plan: String) -> Target? { targets.first { $0.plan == plan } }
    }

    /// A validation rule: `left operator right`, each side a sum of terms
    /// (`ELEMENT`, `N * ELEMENT` or a number `N`; see `Term`). Rules never
    /// block typing a figure; a broken rule is shown at entry, listed by
    /// `tally check` and flagged in the district report.
    public struct Rule: Decodable, Sendable {
        /// Which month a rule's right side is read in, when not its own.
        public enum Comparison: String, Decodable, Sendable {
            /// The month before, in the same calendar year: a running figure
            /// for the year (cards issued, contracts signed so far) restarts
            /// in January, so January is compared with nothing.
            case previousMonth = "previous_month"

            /// The month `period`'s figures are compared with; nil in January.
            public func month(before period: Period) -> Period? {
                period.month == 1 ? nil : Period(year: period.year, month: period.month - 1)
            }

            /// The month compared with `period`: the month after, in the same
            /// year (a figure changed late can break the next month's rule).
            public func month(after period: Period) -> Period? {
                period.month == 12 ? nil : Period(year: period.year, month: period.month + 1)
            }
        }

        public let code: String
        public let left: String
        public let `operator`: String
        public let right: String
        /// Set when the right side is read in another month than the left.
        public let compare: Comparison?
        /// The shortest span the rule is judged over: `.year` for a bound that
        /// a station's few births a month cannot meet (the sex ratio at birth),
        /// judged in year reports only and never at entry.
        public let period: PeriodKind
        /// "error" refuses the entry; "warning" lets it through with a message.
        public let severity: String
        public let nameZH: String
        public let nameEN: String
        let leftTerms: [Term]
        let rightTerms: [Term]

        enum CodingKeys: String, CodingKey {
            case code, left, `operator`, right, compare, period, severity
            case nameZH = "name_zh", nameEN = "name_en"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try container.decode(String.self, forKey: .code)
            left = try container.decode(String.self, forKey: .left)
            `operator` = try container.decode(String.self, forKey: .operator)
            right = try container.decode(String.self, forKey: .right)
            compare = try container.decodeIfPresent(Comparison.self, forKey: .compare)
            period = try container.decodeIfPresent(PeriodKind.self, forKey: .period) ?? .month
            severity = try container.decode(String.self, forKey: .severity)
            nameZH = try container.decode(String.self, forKey: .nameZH)
            nameEN = try container.decode(String.self, forKey: .nameEN)
            leftTerms = Catalog.terms(of: left)
            rightTerms = Catalog.terms(of: right)
            // Refused here, not guessed at: a rule read wrongly would flag
            // good figures or pass bad ones without anyone noticing.
            for (key, terms) in [(CodingKeys.left, leftTerms), (.right, rightTerms)] {
                if let bad = terms.first(where: { !$0.isWellFormed }) ?? (terms.isEmpty ? Term(text: "") : nil) {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container,
                        debugDescription: "rule \(code): '\(bad.text)' is not ELEMENT, N * ELEMENT or a number N")
                }
                // A rule adds: `A - B <= C` is written `A <= B + C`, which
                // reads as the clerk's check and keeps one form per rule.
                if let bad = terms.first(where: \.isSubtracted) {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container,
                        debugDescription: "rule \(code): '\(bad.written)' subtracts; move it to the other side")
                }
            }
            guard ["<=", ">=", "=="].contains(`operator`) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .operator, in: container, debugDescription: "rule \(code): operator is <=, >= or ==")
            }
            // Messages say the figure "went down": only that shape is a
            // month-over-month rule.
            if compare != nil && (`operator` != ">=" || leftTerms != rightTerms) {
                throw DecodingError.dataCorruptedError(
                    forKey: .compare, in: container,
                    debugDescription: "rule \(code): a month-over-month rule is X >= X (the figure does not go down)")
            }
        }

        /// The element codes the rule reads, constants left out.
        public var elements: [String] { leftTerms.compactMap(\.element) + rightTerms.compactMap(\.element) }

        /// The rule as a clerk reads it: `A <= B`, and which month the right
        /// side is from when it is not the same month.
        public var formula: String {
            guard compare == .previousMonth else { return "\(left) \(`operator`) \(right)" }
            return tr("\(left) \(`operator`) \(right) of the previous month", zh: "\(left) \(`operator`) 上月的 \(right)")
        }

        /// Whether a report over `months` months judges the rule.
        public func isJudged(overMonths months: Int) -> Bool {
            switch period {
            case .month: return true
            case .quarter: return months >= 3
            case .year: return months >= 12
            }
        }

        /// True or false when every element has a value; nil otherwise.
        /// `values` are the month's (or period's) figures; `previous` the
        /// compared month's, read by a month-over-month rule's right side
        /// (without them such a rule cannot be judged: nil).
        public func holds(_ values: [String: Int], previous: [String: Int] = [:]) -> Bool? {
            let rightValues = compare == nil ? values : previous
            // Exact: both sides scaled by the same power of ten, so a figure
            // on a bound (80 caesareans of 100 deliveries against 80 %) is
            // never tipped over it by rounding, as Double's 0.07 * 100 =
            // 7.000000000000001 would.
            let scale = (leftTerms + rightTerms).map(\.decimals).max() ?? 0
            guard let lhs = Catalog.scaledValue(leftTerms, scale: scale, values),
                let rhs = Catalog.scaledValue(rightTerms, scale: scale, rightValues)
            else { return nil }
            switch `operator` {
            case "<=": return lhs <= rhs
            case ">=": return lhs >= rhs
            default: return lhs == rhs
            }
        }

        /// Both sides' values as `holds` reads them, as a clerk reads a
        /// figure (`12`, `9.6`); nil when an element has no value.
        public func figures(_ values: [String: Int], previous: [String: Int] = [:]) -> (left: String, right: String)? {
            func text(_ terms: [Term], _ values: [String: Int]) -> String? {
                let scale = terms.map(\.decimals).max() ?? 0
                return Catalog.scaledValue(terms, scale: scale, values).map { Catalog.decimalText($0, scale: scale) }
            }
            guard let lhs = text(leftTerms, values), let rhs = text(rightTerms, compare == nil ? values : previous)
            else { return nil }
            return (lhs, rhs)
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

    // MARK: - Expressions: terms joined by " + " (or " - ")

    /// One term of an expression: an element code (`LIVE_BIRTHS`), a whole
    /// or decimal constant times one (`100 * CAESAREAN_DELIVERIES`,
    /// `0.8 * DELIVERIES`), or a constant alone (`5`), added or, after a
    /// ` - `, subtracted. Indicators use element codes only, subtracted in a
    /// numerator only; rules use all three forms, added.
    struct Term: Sendable, Equatable, CustomStringConvertible {
        /// The term as written, trimmed, without the sign before it.
        let text: String
        /// Written after ` - `: its value counts against the sum.
        let isSubtracted: Bool
        /// The constant's digits without its point (8 for 0.8); 1 for a bare element.
        let digits: Int
        /// How many of the digits follow the point (1 for 0.8).
        let decimals: Int
        /// nil for a constant alone.
        let element: String?
        /// False when the text is neither a code, a number nor `N * CODE`.
        let isWellFormed: Bool

        init(text: String, subtracted: Bool = false) {
            self.text = text
            isSubtracted = subtracted
            let factors = text.split(separator: "*", omittingEmptySubsequences: false).map {
                String($0).trimmingWhitespace()
            }
            let number = factors.count <= 2 ? Term.number(factors[0]) : nil
            if factors.count == 2, let number, Term.isCode(factors[1]) {
                (digits, decimals, element, isWellFormed) = (number.digits, number.decimals, factors[1], true)
            } else if factors.count == 1, let number {
                (digits, decimals, element, isWellFormed) = (number.digits, number.decimals, nil, true)
            } else {
                // Taken as a code, so that "which rules involve X" and a
                // check for unknown elements still see what was written;
                // an empty term (two signs in a row) names nothing.
                (digits, decimals, element, isWellFormed) = (
                    1, 0, text.isEmpty ? nil : text, factors.count == 1 && Term.isCode(text)
                )
            }
        }

        var description: String {
            let sign = isSubtracted ? "- " : ""
            guard let element else { return sign + Catalog.decimalText(digits, scale: decimals) }
            return sign
                + (digits == 1 && decimals == 0
                    ? element : "\(Catalog.decimalText(digits, scale: decimals)) * \(element)")
        }

        /// The term as written, its sign included: for messages about it.
        var written: String { (isSubtracted ? "- " : "") + text }

        /// `100` is (100, 0), `0.8` is (8, 1); at most 12 digits (a sum
        /// that would overflow is not judged: nil).
        static func number(_ text: String) -> (digits: Int, decimals: Int)? {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
                text.count <= 13, let digits = Int(parts.joined())
            else { return nil }
            return (digits, parts.count == 2 ? parts[1].count : 0)
        }

        static func isCode(_ text: String) -> Bool {
            guard let first = text.utf8.first, first >= 65 && first <= 90 else { return false }
            return text.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        }
    }

    /// An expression's terms, each `+` or `-` starting the next one. An
    /// empty expression (a count's denominator) has none; a sign with
    /// nothing before it leaves an empty term, which decoding refuses
    /// rather than reading `A + + B` or `- A` as something.
    static func terms(of expression: String) -> [Term] {
        guard !expression.trimmingWhitespace().isEmpty else { return [] }
        var terms: [Term] = []
        var current = "", subtracted = false
        for character in expression {
            guard character == "+" || character == "-" else {
                current.append(character)
                continue
            }
            terms.append(Term(text: current.trimmingWhitespace(), subtracted: subtracted))
            (current, subtracted) = ("", character == "-")
        }
        terms.append(Term(text: current.trimmingWhitespace(), subtracted: subtracted))
        return terms
    }

    /// The element codes an expression reads, added or subtracted; constants left out.
    static func elements(of expression: String) -> [String] {
        terms(of: expression).compactMap(\.element)
    }

    /// The terms' value times 10^scale (scale ≥ every term's decimals), in
    /// whole numbers, subtracted terms taken away (so it may be below 0);
    /// nil when an element has no value or the sum overflows.
    static func scaledValue(_ terms: [Term], scale: Int, _ values: [String: Int]) -> Int? {
        var total = 0
        for term in terms {
            var factor = term.digits
            for _ in term.decimals..<scale {
                let (scaled, overflow) = factor.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                factor = scaled
            }
            // Negating a positive Int cannot overflow.
            if term.isSubtracted { factor = -factor }
            var part = factor
            if let element = term.element {
                guard let value = values[element] else { return nil }
                let (product, overflow) = factor.multipliedReportingOverflow(by: value)
                guard !overflow else { return nil }
                part = product
            }
            let (sum, overflow) = total.addingReportingOverflow(part)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }

    /// `value` / 10^scale written out: (96, 1) is "9.6", (5, 2) "0.05".
    static func decimalText(_ value: Int, scale: Int) -> String {
        guard scale > 0 else { return String(value) }
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let text = "\(padded.dropLast(scale)).\(padded.suffix(scale))"
        return value < 0 ? "-" + text : text
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
