import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

/// Replicas of one record take random edits, deletes, resolutions, tag
/// changes and partial merges in random orders, then exchange everything.
/// Every replica must end identical, and no write may vanish unless a later
/// write that had seen it replaced it.
struct Simulation {
    struct LoggedWrite {
        let dot: Dot
        /// The writer's clock before the write: everything this write had seen.
        let seen: VersionVector
        /// Entries the write put in place: (field, value).
        let entries: [(String, String?)]
        /// Set members the write removed: (field, member).
        let removed: [(String, String)]
    }

    var random: SplitMix64
    var replicas: [EntityState]
    var log: [LoggedWrite] = []
    let registerFields = ["note", "village", "phone", "household"]
    let values = ["甲", "乙", "丙", "丁", nil]
    let tags = ["pregnant", "diabetes", "elderly_65"]

    init(seed: UInt64, replicaCount: Int) {
        random = SplitMix64(seed: seed)
        let base = EntityState.record(node: "n0", [:])
        replicas = Array(repeating: base, count: replicaCount)
    }

    mutating func write(_ index: Int, _ changes: [EntityState.Change]) {
        var state = replicas[index]
        let seen = state.clock
        let before = state
        let dot = state.write(changes, node: "n\(index)", time: Int64(log.count), clerk: nil)
        var entries: [(String, String?)] = []
        for (field, fieldEntries) in state.fields {
            for entry in fieldEntries where entry.dot == dot { entries.append((field, entry.value)) }
        }
        var removed: [(String, String)] = []
        for case .removeMember(let field, let member) in changes where before.members(field).contains(member) {
            removed.append((field, member))
        }
        log.append(LoggedWrite(dot: dot, seen: seen, entries: entries, removed: removed))
        replicas[index] = state
    }

    mutating func step() throws {
        let index = Int.random(in: 0..<replicas.count, using: &random)
        let state = replicas[index]
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<40:
            // Edit a field; a field in conflict is settled instead (the same kind of write).
            let field = registerFields.randomElement(using: &random)!
            if state.isInConflict(field), Bool.random(using: &random) {
                let candidates = state.candidates(field)
                write(index, [.set(field, candidates.randomElement(using: &random)!.value)])
            } else {
                write(index, [.set(field, values.randomElement(using: &random)!)])
            }
        case 40..<48:
            // Delete, restore, or settle a delete conflict.
            write(index, [.set(deletedField, Bool.random(using: &random) ? "true" : "false")])
        case 48..<60:
            let tag = tags.randomElement(using: &random)!
            write(index, [Bool.random(using: &random) ? .addMember("tags", tag) : .removeMember("tags", tag)])
        default:
            let other = Int.random(in: 0..<replicas.count, using: &random)
            replicas[index] = try state.merged(with: replicas[other])
        }
    }

    /// Everyone's state folded together, in the given order.
    func exchange(order: [Int]) throws -> EntityState {
        var result = replicas[order[0]]
        for index in order.dropFirst() { result = try result.merged(with: replicas[index]) }
        return result
    }

    /// Writes whose entries are gone without a write that saw them.
    func silentlyLost(in final: EntityState) -> [String] {
        var lost: [String] = []
        for write in log {
            for (field, value) in write.entries {
                let present = final.fields[field]?.contains(FieldEntry(dot: write.dot, value: value)) ?? false
                if present { continue }
                let isSet = final.kind.isSetField(field)
                let superseded = log.contains { later in
                    guard later.seen.contains(write.dot) else { return false }
                    if isSet {
                        return later.entries.contains { $0.0 == field && $0.1 == value }
                            || later.removed.contains { $0.0 == field && $0.1 == value }
                    }
                    return later.entries.contains { $0.0 == field }
                }
                if !superseded { lost.append("\(write.dot) \(field)=\(value ?? "nil")") }
            }
        }
        return lost
    }
}

@Suite struct SimulationTests {
    @Test(arguments: 0..<240)
    func randomReplicasConvergeAndLoseNoWrite(seed: Int) throws {
        var setup = SplitMix64(seed: UInt64(seed) &* 7919)
        let replicaCount = Int.random(in: 2...6, using: &setup)
        var simulation = Simulation(seed: UInt64(seed), replicaCount: replicaCount)
        for _ in 0..<1_500 { try simulation.step() }
        let forward = try simulation.exchange(order: Array(0..<replicaCount))
        let backward = try simulation.exchange(order: Array((0..<replicaCount).reversed()))
        var shuffled = Array(0..<replicaCount)
        shuffled.shuffle(using: &setup)
        let random = try simulation.exchange(order: shuffled)
        #expect(forward == backward, "seed \(seed): replicas disagree after a full exchange")
        #expect(forward == random, "seed \(seed): exchange order changed the result")
        // Every replica, after taking everyone's state, holds the same thing.
        for index in 0..<replicaCount {
            #expect(try simulation.replicas[index].merged(with: forward) == forward, "seed \(seed): replica \(index)")
        }
        let lost = simulation.silentlyLost(in: forward)
        #expect(lost.isEmpty, "seed \(seed): writes lost without being superseded: \(lost.prefix(5))")
        // The encoded form carries the same state.
        #expect(try EntityState.decodeJSON(forward.encodedJSON()) == forward, "seed \(seed): JSON round trip")
    }

    /// The same simulation through real SQLite stores, for a few seeds: what
    /// is stored and reloaded converges just the same.
    @Test(arguments: 0..<3)
    func storesOnDiskConvergeToo(seed: Int) throws {
        let directory = TemporaryDirectory()
        let stores = try (0..<3).map { try makeStore(directory, "replica\($0).sqlite") }
        var random = SplitMix64(seed: UInt64(seed))
        let first = try stores[0].addRecord(station: "S01", values: sampleRecord, clerk: "c0")
        for store in stores.dropFirst() { try store.merge(first, from: .hub) }
        let villages = ["东村", "西村", "南村"]
        for _ in 0..<200 {
            let index = Int.random(in: 0..<3, using: &random)
            let store = stores[index]
            let state = try #require(try store.entity(.record, first.id))
            if Int.random(in: 0..<3, using: &random) == 0 {
                let other = stores[Int.random(in: 0..<3, using: &random)]
                try store.merge(try #require(try other.entity(.record, first.id)), from: .node("peer"))
            } else if state.isInConflict("village") {
                try store.resolve(.record, first.id, field: "village", .take(1), clerk: "c\(index)")
            } else if !state.isDeleted && !state.isInConflict(deletedField) {
                try store.editRecord(
                    id: first.id, set: [.village: villages.randomElement(using: &random)!], clerk: "c\(index)")
            }
        }
        for _ in 0..<2 {
            for store in stores {
                for other in stores {
                    try store.merge(try #require(try other.entity(.record, first.id)), from: .node("peer"))
                }
            }
        }
        let finals = try stores.map { try #require(try $0.entity(.record, first.id)) }
        #expect(finals[0] == finals[1] && finals[1] == finals[2], "seed \(seed)")
    }
}
