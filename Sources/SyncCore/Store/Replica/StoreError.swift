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
    /// The store is encrypted and was not unlocked with its passphrase.
    case locked
    /// Encryption is chosen for a new store, not one that already holds data.
    case alreadyHoldsData
    /// A passphrase was given for a store made without encryption.
    case notEncrypted
    /// A sealed setting that does not decrypt (the file was altered or damaged).
    case damagedSetting(String)
    /// A month's queued submission that cannot be read back.
    case damagedQueuedSubmission(key: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let error):
            return error.description
        case .notFound(let kind, let id):
            return tr("no \(kind.rawValue) with id \(id)", zh: "找不到编号为 \(id) 的\(kind.chineseName)")
        case .deleted(let kind, let id):
            return tr("\(kind.rawValue) \(id) is deleted", zh: "\(kind.chineseName) \(id) 已删除")
        case .fieldInConflict(let kind, let id, let field):
            return tr(
                "\(field) of \(kind.rawValue) \(id) is in conflict: it is settled first, by keeping a candidate or entering a new value",
                zh: "\(kind.chineseName) \(id) 的 \(field) 有冲突：请先处理冲突，保留一个候选版本或输入新值")
        case .deleteInConflict(let kind, let id):
            return tr(
                "\(kind.rawValue) \(id) was deleted on one node and edited on another: settle that first, by keeping one of the two",
                zh: "\(kind.chineseName) \(id) 在一个节点上被删除，在另一个节点上被修改：请先处理这个冲突，保留两者之一")
        case .notInConflict(let kind, let id, let field):
            return tr(
                "\(field) of \(kind.rawValue) \(id) is not in conflict: edit it instead",
                zh: "\(kind.chineseName) \(id) 的 \(field) 没有冲突：请直接修改")
        case .noSuchCandidate(let field, let number, let count):
            return tr(
                "\(field) has \(count) candidates: choose 1 to \(count), not \(number)",
                zh: "\(field) 有 \(count) 个候选版本：请选 1 到 \(count)，不是 \(number)")
        case .ambiguousID(let prefix, let matches):
            return tr(
                "\(matches) records have ids starting \(prefix): type more of the id, or use `record find`",
                zh: "有 \(matches) 份档案的编号以 \(prefix) 开头：请多输入几位编号，或用 `record find` 查找")
        case .locked:
            return tr(
                "the database is encrypted and was not unlocked with its passphrase",
                zh: "数据库已加密，尚未用口令解锁")
        case .alreadyHoldsData:
            return tr(
                "only a new, empty database can be encrypted: this one already holds data",
                zh: "只有新建的空数据库才能加密：这个数据库已有数据")
        case .notEncrypted:
            return tr("this database is not encrypted: it has no passphrase", zh: "这个数据库没有加密：没有口令")
        case .damagedSetting(let key):
            return tr(
                "the setting \(key) cannot be decrypted: the database file may be damaged",
                zh: "设置 \(key) 无法解密：数据库文件可能已损坏")
        case .damagedQueuedSubmission(let key, let reason):
            let month = key.split(separator: ":").last.map(String.init) ?? key
            return tr(
                "the submission of \(month) waiting to be sent cannot be read (\(reason)): submit that month again with `station report submit \(month)`, which replaces it",
                zh: "等待发送的 \(month) 上报无法读取（\(reason)）：请用 `station report submit \(month)` 重新上报该月，新的上报会替换它")
        case .corrupt(let kind, let id, let reason):
            return tr(
                "stored \(kind.rawValue) \(id) cannot be read (\(reason)): the database file may be damaged",
                zh: "无法读取已存的\(kind.chineseName) \(id)（\(reason)）：数据库文件可能已损坏")
        }
    }
}
