import Foundation
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport
@_exported import SyncTestSupport

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
