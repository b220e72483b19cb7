import Foundation
@testable import SyncCore

/// A fresh folder under the system temp dir, removed when the value dies.
final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only removes the folder.
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/syncore-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A store in a fresh temp folder, with a fixed "today" so date checks are repeatable.
func makeStore(_ directory: TemporaryDirectory, _ name: String = "store.sqlite") throws -> ReplicaStore {
    let store = try ReplicaStore(path: directory.file(name))
    store.today = { CalendarDate(year: 2026, month: 11, day: 23) }
    return store
}

let sampleRecord: [RecordField: String] = [
    .name: "张三", .sex: "F", .birth: "1980-06-15", .village: "东村", .phone: "13800000000",
]

extension EntityState {
    /// A record state made by a direct write, for model-level tests.
    static func record(_ id: String = "00000000-0000-4000-8000-000000000001", node: String, _ values: [String: String])
        -> EntityState
    {
        var state = EntityState(kind: .record, id: id, station: "S01")
        var changes: [Change] = [.set("name", "A"), .set("sex", "F"), .set("birth", "1980-01-01")]
        changes += values.sorted { $0.key < $1.key }.map { .set($0.key, $0.value) }
        state.write(changes, node: node, time: 1, clerk: nil)
        return state
    }

    mutating func edit(_ node: String, _ values: [String: String?]) {
        write(values.sorted { $0.key < $1.key }.map { .set($0.key, $0.value) }, node: node, time: 2, clerk: "t")
    }
}
