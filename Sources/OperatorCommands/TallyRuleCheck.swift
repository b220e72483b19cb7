import Reporting
import SyncModel
import SyncStore

/// The catalog's rules checked against what a store holds for a tally's
/// month: used by `station tally set` and by settling a tally's conflict, so
/// neither accepts a figure the other refuses.
public enum TallyRuleCheck {
    /// Throws bad input when `value` for `key` breaks an error rule; returns
    /// the warnings of the warning rules it breaks.
    public static func check(_ key: TallyKey, value: Int, in store: ReplicaStore, catalog: Catalog) throws -> [String] {
        var month: [String: Int] = [:]
        for state in try store.entities(.tally, station: key.station, period: key.period.description) {
            if let other = try? TallyKey(entityID: state.id), let figure = state.value("value").flatMap({ Int($0) }) {
                month[other.element] = figure
            }
        }
        let findings = catalog.checkRules(element: key.element, value: value, month: month)
        if let error = findings.errors.first { throw CommandFailure.badInput(error) }
        return findings.warnings
    }
}
