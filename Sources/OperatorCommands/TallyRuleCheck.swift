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
        let findings = catalog.checkRules(
            element: key.element, value: value, month: try month(of: key.station, key.period, in: store))
        return findings.errors.map { tr("check: \($0)", zh: "请核对：\($0)") } + findings.warnings
    }

    /// Every rule a station's month breaks, as the report will flag it.
    public static func findings(station: String, period: Period, in store: ReplicaStore, catalog: Catalog) throws
        -> (errors: [Catalog.Rule], warnings: [Catalog.Rule])
    {
        let values = try month(of: station, period, in: store)
        let broken = catalog.rules.filter { $0.holds(values) == false }
        return (broken.filter { $0.severity == "error" }, broken.filter { $0.severity != "error" })
    }

    /// A broken rule as `tally check` and `report submit` list it.
    public static func line(_ rule: Catalog.Rule) -> String {
        (rule.severity == "error" ? tr("error   ", zh: "错误    ") : tr("warning ", zh: "提示    "))
            + "\(rule.code): \(rule.nameZH) — \(rule.left) \(rule.operator) \(rule.right)"
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
