import SyncCore

/// A store in a fresh temp folder, with a fixed "today" so date checks are repeatable.
public func makeStore(_ directory: TemporaryDirectory, _ name: String = "store.sqlite") throws -> ReplicaStore {
    let store = try ReplicaStore(path: directory.file(name))
    store.today = { CalendarDate(year: 2026, month: 11, day: 23) }
    return store
}

public let sampleRecord: [RecordField: String] = [
    .name: "张三", .sex: "F", .birth: "1980-06-15", .village: "东村", .phone: "13800000000",
]

/// Everything a store's entity table and audit trail hold, to show that
/// refused input changed nothing.
public func fingerprint(_ database: Database) throws -> String {
    let states = try database.scalarText(
        """
        SELECT group_concat(seq || ':' || hex(state) || ':' || (seq IN (SELECT seq FROM pending)) || ':' || coalesce(origin, ''), '|')
        FROM (SELECT * FROM entities ORDER BY seq)
        """) ?? ""
    let audit = try database.scalarInt("SELECT count(*) FROM audit") ?? -1
    return states + "#\(audit)"
}
