import Reporting
import SyncModel
import SyncStore

/// Settling a conflict from what an operator typed: a candidate number, or
/// new values checked like any entry (a tally's count against the catalog's rules).
struct ConflictResolution {
    let store: ReplicaStore
    let catalog: Catalog

    /// What was settled, and the warnings of rules a new count breaks.
    struct Settled {
        var fields: [String] = []
        var warnings: [String] = []
    }

    /// Settles `id`: with `take`, one field (named by `field` when several are
    /// in conflict); with `set`, every field given, in one transaction.
    func resolve(id: String, take: Int?, field: String?, set: [Assignment], actor: String?) throws -> Settled {
        let kind = EntityKind(ofID: id)
        guard let state = try store.entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
        guard state.hasConflict else {
            throw StoreError.invalid(
                ValidationError(
                    field: "id",
                    tr("\(kind.rawValue) \(id) has no conflict", zh: "\(EntityRendering.kindName(kind)) \(id) 没有冲突")))
        }
        var settled = Settled()
        if let take {
            let fields = state.conflictingFields
            let chosen: String
            if let field {
                chosen = kind == .record ? try Assignment.recordField(named: field).rawValue : field
            } else if fields.count == 1 {
                chosen = fields[0]
            } else {
                let names = fields.joined(separator: ", ")
                throw CommandFailure.badInput(
                    tr(
                        "\(fields.count) fields are in conflict (\(names)): add --field FIELD",
                        zh: "有 \(fields.count) 个字段存在冲突（\(names)）：请加上 --field FIELD"))
            }
            try store.resolve(kind, id, field: chosen, .take(take), clerk: actor)
            settled.fields.append(chosen)
            return settled
        }
        var values: [(field: String, value: String)] = []
        for assignment in set {
            if kind == .record {
                let recordField = try assignment.recordField()
                values.append((recordField.rawValue, assignment.normalisedValue(for: recordField)))
            } else {
                values.append((assignment.field, assignment.value))
            }
        }
        if kind == .tally, let key = try? TallyKey(entityID: id) {
            for (name, value) in values where name == TallyField.value.rawValue {
                let count = try TallyField.count(value)
                settled.warnings += try TallyRuleCheck.check(key, value: count, in: store, catalog: catalog)
            }
        }
        try store.writeTransaction {
            for (name, value) in values {
                try store.resolve(kind, id, field: name, .value(value), clerk: actor)
            }
        }
        settled.fields = values.map(\.field)
        return settled
    }
}
