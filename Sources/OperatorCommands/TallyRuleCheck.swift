import Reporting
import SyncModel
import SyncStore

/// The catalog's rules checked against what a store holds for a tally's
/// month: used by `station tally set`, by settling a tally's conflict and by
/// `station tally check`, so all three see the same findings.
///
/// Rules never block typing a figure: a woman delivering on the 31st is
/// visited next month, a subsidy is paid later, so which figure breaks a
/// rule depends on which was typed first. Broken rules are shown at entry,
/// listed by `tally check`, flagged and left out in the district's report.
public enum TallyRuleCheck {
    /// What entering `value` for `key` breaks: error rules first, then warnings.
    public static func check(_ key: TallyKey, value: Int, in store: ReplicaStore, catalog: Catalog) throws -> [String] {
        // The months beside it, for rules that compare a running figure
        // with the month before (in the same year only: January has none).
        let comparison = Catalog.Rule.Comparison.previousMonth
        var figures = [key.period: try month(of: key.station, key.period, in: store)]
        for other in [comparison.month(before: key.period), comparison.month(after: key.period)].compactMap({ $0 }) {
            figures[other] = try month(of: key.station, other, in: store)
        }
        let findings = catalog.checkRules(element: key.element, value: value, period: key.period, figures: figures)
        return findings.errors.map { tr("check: \($0)", zh: "请核对：\($0)") } + findings.warnings
    }

    /// Every rule a station's month breaks, as the report will flag it:
    /// month-over-month rules against the month before in the same year,
    /// rules judged over a year only left to the year report.
    public static func findings(station: String, period: Period, in store: ReplicaStore, catalog: Catalog) throws
        -> (errors: [Catalog.Rule], warnings: [Catalog.Rule])
    {
        let values = try month(of: station, period, in: store)
        var previous: [Period: [String: Int]] = [:]
        var broken: [Catalog.Rule] = []
        for rule in catalog.rules where rule.isJudged(overMonths: 1) {
            var before: [String: Int] = [:]
            if let compare = rule.compare {
                guard let month = compare.month(before: period) else { continue }
                if previous[month] == nil { previous[month] = try Self.month(of: station, month, in: store) }
                before = previous[month] ?? [:]
            }
            if rule.holds(values, previous: before) == false { broken.append(rule) }
        }
        return (broken.filter { $0.severity == "error" }, broken.filter { $0.severity != "error" })
    }

    /// A broken rule as `tally check` and `report submit` list it.
    public static func line(_ rule: Catalog.Rule) -> String {
        (rule.severity == "error" ? tr("error   ", zh: "错误    ") : tr("warning ", zh: "提示    "))
            + "\(rule.code): \(rule.nameZH) — \(rule.formula)"
    }

    static func month(of station: String, _ period: Period, in store: ReplicaStore) throws -> [String: Int] {
        var month: [String: Int] = [:]
        for state in try store.entities(.tally, station: station, period: period.description) {
            if let other = try? TallyKey(entityID: state.id), let figure = state.value("value").flatMap({ Int($0) }) {
                month[other.element] = figure
            }
        }
        return month
    }
}
