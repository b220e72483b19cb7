import SyncModel

/// One month's indicators for the district: each indicator's value over the
/// stations whose figures can be trusted, against the plan's target, with a
/// breakdown per station. Cells in conflict and broken rules are flagged and
/// left out of the sums, never silently added.
public struct DistrictReport: Sendable {
    /// One station's share of one indicator.
    public struct StationValue: Sendable {
        public let station: String
        public let numerator: Int?
        public let denominator: Int?
        /// nil when the station has no usable figures or the denominator is 0.
        public let value: Double?
        /// Why the station was left out or should be looked at:
        /// `conflict:ELEMENT`, `missing:ELEMENT`, `rule:CODE`, `warning:CODE`.
        public let flags: [String]
        /// Whether the figures went into the district sum.
        public let included: Bool
    }

    public struct IndicatorLine: Sendable {
        public let indicator: Catalog.Indicator
        public let numerator: Int
        public let denominator: Int
        /// nil ("no data") when no station contributed or the denominator is 0.
        public let value: Double?
        public let target: Catalog.Target?
        /// nil when there is no value or no target.
        public let met: Bool?
        public let stations: [StationValue]
    }

    public struct RuleViolation: Sendable {
        public let station: String
        public let rule: Catalog.Rule
    }

    public let period: Period
    public let plan: String
    /// The one station the report is limited to (`hub report --station`),
    /// or nil for the whole district.
    public let scope: String?
    /// Each registered station's name, by id, so that operators read names,
    /// not only codes.
    public let stationNames: [String: String]
    public let registered: [String]
    public let reported: [String]
    public let onTime: [String]
    /// The last day a report counts as on time (China Standard Time).
    public let deadline: CalendarDate
    public let lines: [IndicatorLine]
    public let violations: [RuleViolation]
    public let conflicts: [(station: String, element: String)]

    /// Reported stations over registered ones, in percent; nil with none registered.
    public var completeness: Double? {
        registered.isEmpty ? nil : Double(reported.count) * 100 / Double(registered.count)
    }

    public var timeliness: Double? {
        registered.isEmpty ? nil : Double(onTime.count) * 100 / Double(registered.count)
    }

    /// Registered stations with no figures for the month: whom to call.
    public var missing: [String] {
        let reported = Set(reported)
        return registered.filter { !reported.contains($0) }
    }

    /// Stations whose figures arrived after the reporting day.
    public var late: [String] {
        let onTime = Set(onTime)
        return reported.filter { !onTime.contains($0) }
    }

    /// A station as an operator reads it: its id and, when known, its name.
    public func label(_ station: String) -> String {
        guard let name = stationNames[station], !name.isEmpty else { return station }
        return "\(station) \(name)"
    }

    /// A tally cell as the hub holds it.
    public struct Cell: Sendable {
        public let station: String
        public let element: String
        public let value: Int?
        public let inConflict: Bool

        public init(station: String, element: String, value: Int?, inConflict: Bool) {
            self.station = station
            self.element = element
            self.value = value
            self.inConflict = inConflict
        }
    }

    /// Computes the report from the month's cells.
    /// - Parameters:
    ///   - firstReceived: when each station's figures for the period first reached the hub (ms since 1970).
    ///   - reportingDay: the day of the next month by which reports are due.
    ///   - stationNames: each station's name by id; `scope` the one station the report is limited to.
    public init(
        period: Period, plan: String, catalog: Catalog, cells: [Cell], registered: [String],
        firstReceived: [String: Int64], reportingDay: Int, stationNames: [String: String] = [:],
        scope: String? = nil
    ) {
        self.period = period
        self.plan = plan
        self.scope = scope
        self.stationNames = stationNames
        self.registered = registered.sorted()
        let next =
            period.month == 12
            ? Period(year: period.year + 1, month: 1) : Period(year: period.year, month: period.month + 1)
        deadline = CalendarDate(
            year: next.year, month: next.month,
            day: min(reportingDay, CalendarDate.daysIn(month: next.month, year: next.year)))

        var values: [String: [String: Int]] = [:]
        var conflicted: [String: Set<String>] = [:]
        var conflicts: [(String, String)] = []
        for cell in cells {
            if cell.inConflict {
                conflicted[cell.station, default: []].insert(cell.element)
                conflicts.append((cell.station, cell.element))
            } else if let value = cell.value {
                values[cell.station, default: [:]][cell.element] = value
            }
        }
        self.conflicts = conflicts.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        let stations = Set(values.keys).union(conflicted.keys)
        reported = stations.sorted()
        // Received by the end of the deadline day in China (UTC+8).
        let deadlineEnd = (Int64(deadline.daysSince1970) + 1) * 86_400_000 - 8 * 3_600_000
        onTime = reported.filter { firstReceived[$0].map { $0 < deadlineEnd } ?? false }

        var violations: [RuleViolation] = []
        var broken: [String: [Catalog.Rule]] = [:]
        for station in reported {
            for rule in catalog.rules where rule.holds(values[station] ?? [:]) == false {
                violations.append(RuleViolation(station: station, rule: rule))
                broken[station, default: []].append(rule)
            }
        }
        self.violations = violations

        lines = catalog.indicators.map { indicator in
            let elements = indicator.numeratorElements + indicator.denominatorElements
            var stationValues: [StationValue] = []
            var numeratorSum = 0, denominatorSum = 0
            for station in stations.sorted() {
                let own = values[station] ?? [:]
                let touched = elements.contains { own[$0] != nil || conflicted[station]?.contains($0) == true }
                guard touched else { continue }
                var flags: [String] = []
                for element in elements where conflicted[station]?.contains(element) == true {
                    flags.append("conflict:\(element)")
                }
                for element in elements where own[element] == nil && conflicted[station]?.contains(element) != true {
                    flags.append("missing:\(element)")
                }
                for rule in broken[station] ?? [] where rule.elements.contains(where: elements.contains) {
                    flags.append(rule.severity == "error" ? "rule:\(rule.code)" : "warning:\(rule.code)")
                }
                let numerator = Catalog.sum(indicator.numerator, own)
                let denominator = Catalog.sum(indicator.denominator, own)
                let included =
                    numerator != nil && denominator != nil
                    && !flags.contains { $0.hasPrefix("conflict:") || $0.hasPrefix("rule:") }
                if included {
                    numeratorSum += numerator!
                    denominatorSum += denominator!
                }
                let value = numerator.flatMap { n in
                    denominator.flatMap { d in d > 0 ? Double(n) / Double(d) * indicator.factor : nil }
                }
                stationValues.append(
                    StationValue(
                        station: station, numerator: numerator, denominator: denominator,
                        value: value, flags: flags, included: included))
            }
            let contributed = stationValues.contains { $0.included }
            let value =
                contributed && denominatorSum > 0
                ? Double(numeratorSum) / Double(denominatorSum) * indicator.factor : nil
            let target = indicator.target(plan: plan)
            return IndicatorLine(
                indicator: indicator, numerator: numeratorSum, denominator: denominatorSum, value: value,
                target: target, met: value.flatMap { v in target.map { $0.isMet(by: v) } },
                stations: stationValues)
        }
    }
}

extension CalendarDate {
    /// Days since 1970-01-01 (inverse of `init(daysSince1970:)`).
    var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
