import SyncModel
import SyncStore

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
public func fingerprint(_ store: ReplicaStore) throws -> String {
    try store.contentFingerprint()
}
