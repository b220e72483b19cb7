import Foundation
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

/// Copies a closed SQLite store with its WAL over `to`, as a backup, a
/// restore or a copy to a second laptop would.
public func copyStore(_ from: String, _ to: String) throws {
    let files = FileManager.default
    for suffix in ["", "-wal", "-shm"] {
        if files.fileExists(atPath: to + suffix) { try files.removeItem(atPath: to + suffix) }
        if files.fileExists(atPath: from + suffix) { try files.copyItem(atPath: from + suffix, toPath: to + suffix) }
    }
}
