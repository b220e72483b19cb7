import SyncModel

/// The district's indicators over a report period (a month, quarter, year
/// or MCH year): each indicator's value over the stations whose figures can
/// be trusted, against the plan's target in force, with a breakdown per
/// station, and for a month or quarter the year to date beside it. Cells in
/// conflict and broken rules are flagged and left out of the sums, never
/// silently added.
///
/// Months make a longer period as each data element says: events add up;
/// stocks and year-long coverage (entered as the running figure) take the
/// last month's. A target set for the year is judged on the year to date
/// (a count against the share of the year gone, 序时进度), never on one month.
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

    /// An indicator's district figures over some months.
    public struct Totals: Sendable {
        public let numerator: Int
        public let denominator: Int
        /// nil ("no data") when no station contributed or the denominator is 0.
        public let value: Double?
    }

    /// What the target was judged on.
    public enum Judgement: String, Sendable {
        /// The report's own period (a target for that period, or a year report).
        case period
        /// The year to date: a yearly target in a month or quarter report.
        case yearToDate = "year-to-date"
        /// A yearly volume against the share of the year gone (序时进度).
        case schedule
    }

    /// A township's or street's subtotal of one indicator, and its rank
    /// among the units (1 is best, as the target's direction says).
    public struct UnitValue: Sendable {
        public let unit: String
        public let numerator: Int
        public let denominator: Int
        public let value: Double?
        public let yearToDate: Double?
        public let met: Bool?
        public let rank: Int?
        /// The unit's own share of a yearly volume (`hub quota set`), when
        /// the district split it: the unit is then judged on it, not on the
        /// district's figure.
        public var quota: Int? = nil
        /// Of that quota, what is due by the report's end (quota × months
        /// gone / 12, 序时进度; the whole quota in a year report).
        public var due: Double? = nil
        /// What the unit did towards its quota: the numerator over the
        /// months judged (for a task completion, the work done, not the rate).
        public var done: Int? = nil
    }

    /// A unit's share of a yearly volume for one year, as the district set it.
    public struct Quota: Sendable, Equatable {
        public let indicator: String
        public let unit: String
        public let year: Int
        public let value: Int

        public init(indicator: String, unit: String, year: Int, value: Int) {
            self.indicator = indicator
            self.unit = unit
            self.year = year
            self.value = value
        }
    }

    public struct IndicatorLine: Sendable {
        public let indicator: Catalog.Indicator
        public let numerator: Int
        public let denominator: Int
        /// nil ("no data") when no station contributed or the denominator is 0.
        public let value: Double?
        /// January to the report's last month, for a month or quarter report.
        public let yearToDate: Totals?
        public let target: Catalog.Target?
        /// The target's figure in force at the period's end (a dated milestone, or the year's).
        public let figure: Double?
        /// For a volume judged on schedule: the share of the year's figure due by now.
        public let due: Double?
        /// nil when there is no value or no target.
        public let met: Bool?
        public let judgedOn: Judgement
        public let stations: [StationValue]
        /// Each unit's subtotal, best first; empty when no station has a unit.
        public let units: [UnitValue]
        /// The units' quotas for the report's year added up; nil when none has one.
        public var quotaTotal: Int? = nil
        /// What they should add up to: a count's yearly figure in the plan,
        /// or for a task completion the planned volume the stations entered
        /// (its denominator). nil when there is nothing to compare with.
        public var plannedVolume: Double? = nil

        /// False when the units' quotas do not add up to the district's volume.
        public var quotasAddUp: Bool? {
            guard let quotaTotal, let plannedVolume else { return nil }
            return Double(quotaTotal) == plannedVolume
        }
    }

    public struct RuleViolation: Sendable {
        public let station: String
        public let rule: Catalog.Rule
        /// The month whose figure went down, for a month-over-month rule;
        /// nil for a rule judged on the period's figures.
        public let month: Period?
    }

    public let period: ReportPeriod
    public let plan: String
    /// The one station the report is limited to (`hub report --station`),
    /// or nil for the whole district.
    public let scope: String?
    /// Each registered station's name, by id, so that operators read names,
    /// not only codes.
    public let stationNames: [String: String]
    /// Each station's township or street unit, by station id.
    public let unitOf: [String: String]
    /// Each unit's name, by id.
    public let unitNames: [String: String]
    /// Each station's community, "urban" or "rural", by station id; a station
    /// missing here has none set.
    public let communityOf: [String: String]
    /// Stations with no community set that a target for urban or rural
    /// stations only was judged over: counted as in scope (see `inScope`).
    public let communityUnknown: [String]
    public let registered: [String]
    /// Stations that submitted every month of the period (`station report
    /// submit`) and were not sent back: figures synced but not submitted
    /// do not count, as in DHIS2's completeness.
    public let reported: [String]
    /// Of those, a month report's stations that first submitted by the reporting day.
    public let onTime: [String]
    /// Stations with figures in the period that have not submitted all of it.
    public let unsubmitted: [String]
    /// A month report's stations whose figures changed at the hub after
    /// they submitted: what the operator approved may not be what is there now.
    public let changedAfterSubmission: [String]
    /// For a month report, each unit's stations that submitted and those
    /// the unit has approved (镇级审核), by unit id.
    public let unitReview: [String: UnitReview]
    /// The day by which units approve their stations' month (镇级审核), when the hub sets one.
    public let unitDeadline: CalendarDate?

    /// One unit's review of a month: its stations, how many submitted, how
    /// many it approved, and of those how many by the unit's deadline.
    public struct UnitReview: Sendable, Equatable {
        public var stations = 0
        public var submitted = 0
        public var approved = 0
        /// nil when the hub sets no deadline for units.
        public var approvedOnTime: Int?
    }
    /// Late corrections (补报) to the period's locked months still waiting
    /// for the operator, by station: the figures shown are the locked ones.
    public let pendingCorrections: [String: Int]
    /// The last day a month's report counts as on time (China Standard Time).
    public let deadline: CalendarDate
    public let lines: [IndicatorLine]
    public let violations: [RuleViolation]
    public let conflicts: [(station: String, element: String)]

    /// Submitted stations over registered ones, in percent; nil with none registered.
    public var completeness: Double? {
        registered.isEmpty ? nil : Double(reported.count) * 100 / Double(registered.count)
    }

    public var timeliness: Double? {
        registered.isEmpty ? nil : Double(onTime.count) * 100 / Double(registered.count)
    }

    /// Registered stations that have not submitted the period: whom to call.
    public var missing: [String] {
        let reported = Set(reported)
        return registered.filter { !reported.contains($0) }
    }

    /// Stations that submitted after the reporting day.
    public var late: [String] {
        guard period.kind == .month else { return [] }
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
        /// Its month; nil means the report's (last) month.
        public let period: Period?
        public let value: Int?
        public let inConflict: Bool

        public init(station: String, element: String, period: Period? = nil, value: Int?, inConflict: Bool) {
            self.station = station
            self.element = element
            self.period = period
            self.value = value
            self.inConflict = inConflict
        }
    }

    /// A month's report (the form most callers want).
    public init(
        period: Period, plan: String, catalog: Catalog, cells: [Cell], registered: [String],
        submitted: [String: [Period: Int64]], reportingDay: Int, stationNames: [String: String] = [:],
        scope: String? = nil
    ) {
        self.init(
            period: ReportPeriod(month: period), plan: plan, catalog: catalog, cells: cells, registered: registered,
            submitted: submitted, reportingDay: reportingDay, stationNames: stationNames, scope: scope)
    }

    /// A unit as an operator reads it: its id and name.
    public func unitLabel(_ unit: String) -> String {
        guard let name = unitNames[unit], !name.isEmpty else { return unit }
        return "\(unit) \(name)"
    }

    /// Computes the report from the cells of the period and, for a month or
    /// quarter, of the year to date (cells of other months are ignored).
    /// - Parameters:
    ///   - submitted: the months each station submitted and was not sent
    ///     back, with when it first submitted each (ms since 1970).
    ///   - lastReceived: when each station's figures for the period's last month last reached the hub.
    ///   - unitApproved: when each station's last month was approved by its
    ///     unit, for those approved; `unitReviewDay` the day of the next month by which units approve.
    ///   - reportingDay: the day of the next month by which reports are due.
    ///   - stationNames: each station's name by id; `scope` the one station the report is limited to.
    ///   - communityOf: each station's community ("urban" or "rural"); a
    ///     target set for one kind is judged only over its stations.
    ///   - quotas: units' shares of yearly volumes; those of the period's year are used.
    public init(
        period: ReportPeriod, plan: String, catalog: Catalog, cells: [Cell], registered: [String],
        submitted: [String: [Period: Int64]], reportingDay: Int, stationNames: [String: String] = [:],
        lastReceived: [String: Int64] = [:], unitApproved: [String: Int64] = [:], unitReviewDay: Int? = nil,
        pendingCorrections: [String: Int] = [:],
        scope: String? = nil, unitOf: [String: String] = [:], unitNames: [String: String] = [:],
        communityOf: [String: String] = [:], quotas: [Quota] = []
    ) {
        self.unitOf = unitOf
        self.unitNames = unitNames
        self.communityOf = communityOf
        self.period = period
        self.plan = plan
        self.scope = scope
        self.stationNames = stationNames
        self.registered = registered.sorted()
        let last = period.last
        let next =
            last.month == 12 ? Period(year: last.year + 1, month: 1) : Period(year: last.year, month: last.month + 1)
        // The given day of the month after the period, or that month's last day.
        func dayOfNextMonth(_ day: Int) -> CalendarDate {
            CalendarDate(
                year: next.year, month: next.month,
                day: min(day, CalendarDate.daysIn(month: next.month, year: next.year)))
        }
        // The end of a deadline day in China (UTC+8), in ms since 1970.
        func endInChina(_ day: CalendarDate) -> Int64 { (Int64(day.daysSince1970) + 1) * 86_400_000 - 8 * 3_600_000 }
        deadline = dayOfNextMonth(reportingDay)

        let span = Aggregated(cells: cells, months: Set(period.months), default: last, catalog: catalog)
        let ytdPeriod = period.kind == .month || period.kind == .quarter ? period.yearToDate : nil
        let ytd = ytdPeriod.map { Aggregated(cells: cells, months: Set($0.months), default: last, catalog: catalog) }

        self.conflicts = span.conflictList
        let stations = Set(span.values.keys).union(span.conflicted.keys)
        reported = self.registered.filter { station in
            period.months.allSatisfy { submitted[station]?[$0] != nil }
        }
        // Submitted by the end of the deadline day in China (UTC+8).
        let deadlineEnd = endInChina(deadline)
        onTime =
            period.kind == .month
            ? reported.filter { submitted[$0]?[last].map { $0 < deadlineEnd } ?? false } : []
        let reportedSet = Set(reported)
        unsubmitted = self.registered.filter { stations.contains($0) && !reportedSet.contains($0) }
        changedAfterSubmission =
            period.kind == .month
            ? reported.filter { station in
                guard let sent = submitted[station]?[last], let received = lastReceived[station] else { return false }
                return received > sent
            } : []
        // Each tier has its own window (村→镇 by the reporting day, then 镇 approves by its own day).
        let unitDeadline = unitReviewDay.map(dayOfNextMonth)
        self.unitDeadline = period.kind == .month ? unitDeadline : nil
        var review: [String: UnitReview] = [:]
        if period.kind == .month {
            for station in self.registered {
                guard let unit = unitOf[station] else { continue }
                var entry = review[unit] ?? UnitReview(approvedOnTime: unitDeadline == nil ? nil : 0)
                entry.stations += 1
                if reportedSet.contains(station) { entry.submitted += 1 }
                if let approved = unitApproved[station] {
                    entry.approved += 1
                    if let unitDeadline, approved < endInChina(unitDeadline) {
                        entry.approvedOnTime? += 1
                    }
                }
                review[unit] = entry
            }
        }
        unitReview = review
        self.pendingCorrections = pendingCorrections

        // Month-over-month rules read each month's own figures, not the
        // period's; a cell in conflict has no figure to compare.
        var monthly: [String: [Period: [String: Int]]] = [:]
        for cell in cells where !cell.inConflict {
            guard let value = cell.value else { continue }
            monthly[cell.station, default: [:]][cell.period ?? last, default: [:]][cell.element] = value
        }
        var violations: [RuleViolation] = []
        var broken: [String: [Catalog.Rule]] = [:]
        for station in stations.sorted() {
            for rule in catalog.rules where rule.isJudged(overMonths: period.months.count) {
                if let compare = rule.compare {
                    // Each month of the period against the month before it in
                    // the same year (the cells hold the year to date); January,
                    // or a month without figures on either side, gives no finding.
                    let fell = period.months.filter { month in
                        guard let before = compare.month(before: month), let now = monthly[station]?[month],
                            let previous = monthly[station]?[before]
                        else { return false }
                        return rule.holds(now, previous: previous) == false
                    }
                    violations += fell.map { RuleViolation(station: station, rule: rule, month: $0) }
                    if !fell.isEmpty { broken[station, default: []].append(rule) }
                } else if rule.holds(span.values[station] ?? [:]) == false {
                    violations.append(RuleViolation(station: station, rule: rule, month: nil))
                    broken[station, default: []].append(rule)
                }
            }
        }
        self.violations = violations

        let monthsCovered = period.months.count
        // Each indicator's quotas by unit, for the period's calendar year. An
        // MCH year straddles two calendar years: its units are judged as before.
        var quotaOf: [String: [String: Int]] = [:]
        for quota in quotas where quota.year == last.year && period.kind != .mchYear {
            quotaOf[quota.indicator, default: [:]][quota.unit] = quota.value
        }
        lines = catalog.indicators.map { indicator in
            // A target for urban or rural stations only is judged over those alone.
            let community = Self.communityScope(of: indicator.target(plan: plan))
            let (stationValues, totals) = Self.confined(
                Self.compute(indicator, span, stations: stations.sorted(), broken: broken, months: monthsCovered),
                indicator, to: community, communityOf: communityOf, months: monthsCovered)
            let ytdComputed = ytd.map { ytd in
                Self.confined(
                    Self.compute(
                        indicator, ytd, stations: Set(ytd.values.keys).union(ytd.conflicted.keys).sorted(),
                        broken: [:], months: ytdPeriod!.months.count),
                    indicator, to: community, communityOf: communityOf, months: ytdPeriod!.months.count)
            }
            let ytdTotals = ytdComputed?.totals
            let target = indicator.target(plan: plan)
            let figure = target?.value(forPeriodEnding: period.endDate)
            var judged = Judgement.period
            var due: Double?
            var met: Bool?
            if let target, let figure {
                let yearly = target.period == .year || indicator.period == .year
                if yearly && !period.isYear, let ytdTotals {
                    if (indicator.isCount || indicator.isQuotaCompletion) && target.direction == ">=" {
                        judged = .schedule
                        due = figure * Double(last.month) / 12
                        met = ytdTotals.value.map { $0 >= due! }
                    } else {
                        judged = .yearToDate
                        met = ytdTotals.value.map { target.isMet(by: $0, figure: figure) }
                    }
                } else if yearly && !period.isYear {
                    met = nil
                } else {
                    met = totals.value.map { target.isMet(by: $0, figure: figure) }
                }
            }
            // Each unit: its stations' included figures added up, judged as the district is.
            var unitValues: [UnitValue] = []
            for unit in Set(unitOf.values).sorted() {
                func add(_ values: [StationValue]) -> (Int, Int, Bool) {
                    let members = values.filter { $0.included && unitOf[$0.station] == unit }
                    return (
                        members.reduce(0) { $0 + ($1.numerator ?? 0) },
                        members.reduce(0) { $0 + ($1.denominator ?? 0) },
                        !members.isEmpty
                    )
                }
                let (n, d, any) = add(stationValues)
                let value = any ? Self.rate(indicator, n, d, months: monthsCovered) : nil
                var ytdValue: Double?
                if let ytdComputed {
                    let (yn, yd, yany) = add(ytdComputed.stations)
                    ytdValue = yany ? Self.rate(indicator, yn, yd, months: ytdPeriod!.months.count) : nil
                }
                var unitMet: Bool?
                if let target, let figure {
                    switch judged {
                    case .period: unitMet = value.map { target.isMet(by: $0, figure: figure) }
                    case .yearToDate: unitMet = ytdValue.map { target.isMet(by: $0, figure: figure) }
                    case .schedule: unitMet = ytdValue.map { $0 >= due! }
                    }
                }
                // A unit with its own quota is judged against it on schedule
                // (in a year report, against all of it), not against the
                // district's figure: the work done, also for a task completion.
                var quota: Int?, quotaDue: Double?, done: Int?
                if let share = quotaOf[indicator.code]?[unit] {
                    let (doneSum, _, anyDone) = ytdComputed.map { add($0.stations) } ?? (n, d, any)
                    quota = share
                    quotaDue = Double(share) * Double(ytdComputed == nil ? 12 : last.month) / 12
                    done = anyDone ? doneSum : nil
                    unitMet = done.map { target?.direction == "<=" ? Double($0) <= quotaDue! : Double($0) >= quotaDue! }
                }
                unitValues.append(
                    UnitValue(
                        unit: unit, numerator: n, denominator: d, value: value, yearToDate: ytdValue, met: unitMet,
                        rank: nil, quota: quota, due: quotaDue, done: done))
            }
            // Ranked on what the target is judged on; lower is better for a
            // ceiling. With every unit on a quota of its own, on the share of
            // it done: raw counts would rank the biggest township first.
            let lowerIsBetter = target?.direction == "<="
            let byQuota = !unitValues.isEmpty && unitValues.allSatisfy { ($0.quota ?? 0) > 0 }
            func judgedValue(_ unit: UnitValue) -> Double? {
                if byQuota { return unit.done.map { Double($0) / Double(unit.quota!) } }
                return judged == .period ? unit.value : unit.yearToDate
            }
            let ranked = unitValues.filter { judgedValue($0) != nil }.sorted {
                lowerIsBetter ? judgedValue($0)! < judgedValue($1)! : judgedValue($0)! > judgedValue($1)!
            }
            unitValues =
                ranked.enumerated().map { index, unit in
                    UnitValue(
                        unit: unit.unit, numerator: unit.numerator, denominator: unit.denominator, value: unit.value,
                        yearToDate: unit.yearToDate, met: unit.met, rank: index + 1, quota: unit.quota, due: unit.due,
                        done: unit.done)
                } + unitValues.filter { judgedValue($0) == nil }
            var line = IndicatorLine(
                indicator: indicator, numerator: totals.numerator, denominator: totals.denominator,
                value: totals.value, yearToDate: ytdTotals, target: target, figure: figure, due: due, met: met,
                judgedOn: judged, stations: stationValues, units: unitValues)
            if let shares = quotaOf[indicator.code] {
                line.quotaTotal = shares.values.reduce(0, +)
                // A count's plan states the year's volume; a task completion's
                // plan states 100 %, and the volume is the stations' planned figure.
                let planned = ytdTotals ?? totals
                if indicator.isCount, let target, target.period == .year || indicator.period == .year {
                    line.plannedVolume = target.value
                } else if !indicator.isCount, planned.denominator > 0 {
                    line.plannedVolume = Double(planned.denominator)
                }
            }
            return line
        }
        // Named in the report: whoever sets them changes what is judged.
        communityUnknown = Set(
            lines.filter { Self.communityScope(of: $0.target) != nil }.flatMap { $0.stations.map(\.station) }
        ).filter { communityOf[$0] == nil }.sorted()
    }

    /// "urban" or "rural" when the target is for that kind of community
    /// only; nil when it is for every station.
    static func communityScope(of target: Catalog.Target?) -> String? {
        guard let scope = target?.scope, scope == "urban" || scope == "rural" else { return nil }
        return scope
    }

    /// Whether a target for `scope` stations judges `station`: its community
    /// matches, or none is set. A station of unknown community counts in, so
    /// a hub whose operator has not said which stations are rural judges as
    /// it always did and no figure silently drops out; the report names
    /// those stations (`communityUnknown`) so that someone sets them.
    static func inScope(_ station: String, _ scope: String, _ communityOf: [String: String]) -> Bool {
        communityOf[station].map { $0 == scope } ?? true
    }

    /// One indicator's figures with the stations outside the target's
    /// community flagged `scope:urban` (or `scope:rural`) and left out of
    /// the sums; unchanged when the target is for every station.
    static func confined(
        _ computed: (stations: [StationValue], totals: Totals), _ indicator: Catalog.Indicator, to scope: String?,
        communityOf: [String: String], months: Int
    ) -> (stations: [StationValue], totals: Totals) {
        guard let scope else { return computed }
        var numerator = 0, denominator = 0
        let stations = computed.stations.map { station in
            guard inScope(station.station, scope, communityOf) else {
                return StationValue(
                    station: station.station, numerator: station.numerator, denominator: station.denominator,
                    value: station.value, flags: station.flags + ["scope:\(scope)"], included: false)
            }
            if station.included {
                numerator += station.numerator ?? 0
                denominator += station.denominator ?? 0
            }
            return station
        }
        let value = stations.contains { $0.included } ? rate(indicator, numerator, denominator, months: months) : nil
        return (stations, Totals(numerator: numerator, denominator: denominator, value: value))
    }

    /// Each station's figures over a set of months, aggregated per element.
    struct Aggregated {
        var values: [String: [String: Int]] = [:]
        var conflicted: [String: Set<String>] = [:]
        var conflictList: [(station: String, element: String)] = []
        var monthsSeen: [String: Set<Period>] = [:]

        init(cells: [Cell], months: Set<Period>, default last: Period, catalog: Catalog) {
            var latest: [String: [String: Period]] = [:]
            var conflicts: Set<[String]> = []
            for cell in cells {
                let month = cell.period ?? last
                guard months.contains(month) else { continue }
                monthsSeen[cell.station, default: []].insert(month)
                if cell.inConflict {
                    conflicted[cell.station, default: []].insert(cell.element)
                    conflicts.insert([cell.station, cell.element])
                    continue
                }
                guard let value = cell.value else { continue }
                switch catalog.element(cell.element)?.aggregation ?? .sum {
                case .sum:
                    values[cell.station, default: [:]][cell.element, default: 0] += value
                case .last:
                    if let seen = latest[cell.station]?[cell.element], seen > month { continue }
                    latest[cell.station, default: [:]][cell.element] = month
                    values[cell.station, default: [:]][cell.element] = value
                }
            }
            conflictList = conflicts.map { ($0[0], $0[1]) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        }
    }

    /// An indicator's value from its sums over `months` months: a count is
    /// its numerator; a rate per population per year is annualised. Only a
    /// denominator of 0 (or below) gives no value: a numerator below 0 (more
    /// deaths than births) gives a rate below 0, which is a figure, not "no data".
    static func rate(_ indicator: Catalog.Indicator, _ numerator: Int, _ denominator: Int, months: Int) -> Double? {
        if indicator.isCount { return Double(numerator) }
        guard denominator > 0 else { return nil }
        let value = Double(numerator) / Double(denominator) * indicator.factor
        return indicator.annualise ? value * 12 / Double(max(1, months)) : value
    }

    /// One indicator over aggregated figures: each station's share and the district's totals.
    static func compute(
        _ indicator: Catalog.Indicator, _ data: Aggregated, stations: [String], broken: [String: [Catalog.Rule]],
        months: Int
    ) -> (stations: [StationValue], totals: Totals) {
        let elements = indicator.numeratorElements + indicator.denominatorElements
        var stationValues: [StationValue] = []
        var numeratorSum = 0, denominatorSum = 0
        func rate(_ numerator: Int, _ denominator: Int) -> Double? {
            Self.rate(indicator, numerator, denominator, months: months)
        }
        for station in stations {
            let own = data.values[station] ?? [:]
            let conflicted = data.conflicted[station] ?? []
            let touched = elements.contains { own[$0] != nil || conflicted.contains($0) }
            guard touched else { continue }
            var flags: [String] = []
            for element in elements where conflicted.contains(element) {
                flags.append("conflict:\(element)")
            }
            for element in elements where own[element] == nil && !conflicted.contains(element) {
                flags.append("missing:\(element)")
            }
            for rule in broken[station] ?? [] where rule.elements.contains(where: elements.contains) {
                flags.append(rule.severity == "error" ? "rule:\(rule.code)" : "warning:\(rule.code)")
            }
            // A numerator that subtracts (births less deaths) may be below
            // 0: a real figure, added to the district's like any other.
            let numerator = indicator.numeratorValue(own)
            let denominator = indicator.isCount ? 0 : indicator.denominatorValue(own)
            let included =
                numerator != nil && denominator != nil
                && !flags.contains { $0.hasPrefix("conflict:") || $0.hasPrefix("rule:") }
            if included {
                numeratorSum += numerator!
                denominatorSum += denominator!
            }
            let value = numerator.flatMap { n in denominator.flatMap { d in rate(n, d) } }
            stationValues.append(
                StationValue(
                    station: station, numerator: numerator, denominator: indicator.isCount ? nil : denominator,
                    value: value, flags: flags, included: included))
        }
        let contributed = stationValues.contains { $0.included }
        let value = contributed ? rate(numeratorSum, denominatorSum) : nil
        return (stationValues, Totals(numerator: numeratorSum, denominator: denominatorSum, value: value))
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
