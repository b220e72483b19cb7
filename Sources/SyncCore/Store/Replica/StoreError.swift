import SyncModel

/// Why the store refused an operation, in words a clerk can act on.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(ValidationError)
    case notFound(kind: EntityKind, id: String)
    case deleted(kind: EntityKind, id: String)
    case fieldInConflict(kind: EntityKind, id: String, field: String)
    case deleteInConflict(kind: EntityKind, id: String)
    case notInConflict(kind: EntityKind, id: String, field: String)
    case noSuchCandidate(field: String, number: Int, count: Int)
    case corrupt(kind: EntityKind, id: String, reason: String)
    /// An id prefix that more than one record's id starts with.
    case ambiguousID(prefix: String, matches: Int)

    public var description: String {
        switch self {
        case .invalid(let error):
            return error.description
        case .notFound(let kind, let id):
            return "no \(kind.rawValue) with id \(id)"
        case .deleted(let kind, let id):
            return "\(kind.rawValue) \(id) is deleted"
        case .fieldInConflict(let kind, let id, let field):
            return
                "\(field) of \(kind.rawValue) \(id) is in conflict: it is settled first, by keeping a candidate or entering a new value"
        case .deleteInConflict(let kind, let id):
            return
                "\(kind.rawValue) \(id) was deleted on one node and edited on another: settle that first, by keeping one of the two"
        case .notInConflict(let kind, let id, let field):
            return "\(field) of \(kind.rawValue) \(id) is not in conflict: edit it instead"
        case .noSuchCandidate(let field, let number, let count):
            return "\(field) has \(count) candidates: choose 1 to \(count), not \(number)"
        case .ambiguousID(let prefix, let matches):
            return "\(matches) records have ids starting \(prefix): type more of the id, or use `record find`"
        case .corrupt(let kind, let id, let reason):
            return "stored \(kind.rawValue) \(id) cannot be read (\(reason)): the database file may be damaged"
        }
    }
}
