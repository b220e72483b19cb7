import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

/// The eight behaviours the merge must have, one test each.
@Suite struct MergeBehaviourTests {
    // 1
    @Test func versionThatCausallyFollowsReplacesTheOther() throws {
        let old = EntityState.record(node: "a", ["village": "东村"])
        var newer = old
        newer.edit("b", ["village": "西村"])
        #expect(try old.merged(with: newer) == newer)
        #expect(try newer.merged(with: old) == newer)
        #expect(!newer.hasConflict)
    }

    // 2
    @Test func concurrentEditsOfDifferentFieldsMergeWithoutConflict() throws {
        let base = EntityState.record(node: "a", ["village": "东村", "phone": "13800000000"])
        var left = base
        var right = base
        left.edit("a", ["village": "西村"])
        right.edit("b", ["phone": "13900000000"])
        let one = try left.merged(with: right)
        let other = try right.merged(with: left)
        #expect(one == other)
        #expect(!one.hasConflict)
        #expect(one.value("village") == "西村")
        #expect(one.value("phone") == "13900000000")
    }

    // 3
    @Test func concurrentDifferentValuesOfOneFieldKeepEveryCandidate() throws {
        let base = EntityState.record(node: "a", [:])
        var left = base
        var right = base
        left.edit("a", ["note": "left"])
        right.edit("b", ["note": "right"])
        let one = try left.merged(with: right)
        let other = try right.merged(with: left)
        #expect(one == other)
        #expect(one.isInConflict("note"))
        #expect(one.conflictingFields == ["note"])
        #expect(Set(one.candidates("note").map(\.value)) == ["left", "right"])
        // The display value is the same on every node.
        #expect(one.value("note") == other.value("note"))
    }

    @Test func concurrentWritesOfTheSameValueAreNoConflict() throws {
        let base = EntityState.record(node: "a", [:])
        var left = base
        var right = base
        left.edit("a", ["note": "same"])
        right.edit("b", ["note": "same"])
        let merged = try left.merged(with: right)
        #expect(!merged.hasConflict)
        #expect(merged.value("note") == "same")
    }

    // 4
    @Test func deleteConcurrentWithEditIsAConflict() throws {
        let base = EntityState.record(node: "a", ["village": "东村"])
        var deleter = base
        var editor = base
        deleter.write([.set(deletedField, "true")], node: "a", time: 3, clerk: nil)
        editor.edit("b", ["village": "西村"])
        let merged = try deleter.merged(with: editor)
        #expect(merged.isInConflict(deletedField))
        #expect(merged.hasConflict)
        // Neither silently resurrected nor silently lost: both the delete and the edit are there.
        #expect(Set(merged.candidates(deletedField).map(\.value)) == ["true", "false"])
        #expect(merged.value("village") == "西村")
        #expect(try editor.merged(with: deleter) == merged)
    }

    // 5
    @Test func resolvingSupersedesEveryCandidateEverywhere() throws {
        let base = EntityState.record(node: "a", [:])
        var left = base
        var right = base
        left.edit("a", ["note": "left"])
        right.edit("b", ["note": "right"])
        var resolved = try left.merged(with: right)
        resolved.write([.set("note", "settled")], node: "c", time: 4, clerk: "hub")
        #expect(!resolved.hasConflict)
        // The resolution descends both candidates, so it replaces them on either side.
        #expect(try left.merged(with: resolved) == resolved)
        #expect(try resolved.merged(with: right) == resolved)
    }

    @Test func plainEditOfAFieldInConflictIsRefusedUntilResolved() throws {
        let directory = TemporaryDirectory()
        let one = try makeStore(directory, "one.sqlite")
        let two = try makeStore(directory, "two.sqlite")
        let record = try one.addRecord(station: "S01", values: sampleRecord, clerk: "li")
        try two.merge(record, from: .hub)
        try one.editRecord(id: record.id, set: [.village: "西村"], clerk: "li")
        try two.editRecord(id: record.id, set: [.village: "北村"], clerk: "wang")
        try one.merge(try #require(try two.entity(.record, record.id)), from: .hub)
        #expect(throws: StoreError.fieldInConflict(kind: .record, id: record.id, field: "village")) {
            try one.editRecord(id: record.id, set: [.village: "南村"], clerk: "li")
        }
        // Other fields can still be edited.
        try one.editRecord(id: record.id, set: [.phone: "13700000000"], clerk: "li")
        let resolved = try one.resolve(.record, record.id, field: "village", .take(1), clerk: "li")
        #expect(!resolved.hasConflict)
    }

    // 6
    @Test func mergeIsIdempotentCommutativeAndAssociative() throws {
        let base = EntityState.record(node: "a", [:])
        var a = base, b = base, c = base
        a.edit("a", ["note": "a", "village": "v1"])
        b.edit("b", ["note": "b"])
        c.edit("c", ["phone": "13600000000"])
        #expect(try a.merged(with: a) == a)
        #expect(try a.merged(with: b) == b.merged(with: a))
        #expect(try a.merged(with: b).merged(with: c) == a.merged(with: b.merged(with: c)))
    }

    @Test func mergeThatChangesNothingTakesNoNewSequenceNumber() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let record = try store.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        let before = try store.lastSeq()
        #expect(try store.merge(record, from: .hub) == .unchanged)
        #expect(try store.merge(record, from: .node("x")) == .unchanged)
        #expect(try store.lastSeq() == before)
    }

    // 7
    @Test func clocksHoldNodeIdsOnlyAndAreNeverPruned() throws {
        var state = EntityState.record(node: "node-a", [:])
        for index in 0..<300 {
            state.edit("node-\(index)", ["note": "edit \(index)"])
        }
        // Every node that ever wrote is still in the clock, though only one entry is live.
        #expect(state.clock.counters.count == 301)
        #expect(Set(state.clock.counters.keys) == Set((0..<300).map { "node-\($0)" } + ["node-a"]))
        #expect(state.stamps.values.allSatisfy { state.clock.counters.keys.contains($0.dot.node) })
        // The clerk's name is audit data on the write, not a clock entry.
        #expect(!state.clock.counters.keys.contains("t"))
    }

    // 8
    @Test func concurrentTagAdditionsAllSurvive() throws {
        let base = EntityState.record(node: "a", [:])
        var left = base, right = base
        left.write([.addMember("tags", "pregnant")], node: "a", time: 2, clerk: nil)
        right.write([.addMember("tags", "diabetes")], node: "b", time: 2, clerk: nil)
        let merged = try left.merged(with: right)
        #expect(merged.members("tags") == ["diabetes", "pregnant"])
        #expect(!merged.hasConflict)
    }

    @Test func tagRemovalRemovesOnlyWhatTheRemoverHadSeen() throws {
        var base = EntityState.record(node: "a", [:])
        base.write([.addMember("tags", "elderly_65")], node: "a", time: 2, clerk: nil)
        var remover = base, adder = base
        remover.write([.removeMember("tags", "elderly_65")], node: "a", time: 3, clerk: nil)
        // A concurrent re-add of the same tag, and a new one: the remover saw neither.
        adder.write(
            [.addMember("tags", "elderly_65"), .addMember("tags", "hypertension")], node: "b", time: 3, clerk: nil)
        let merged = try remover.merged(with: adder)
        #expect(merged.members("tags") == ["elderly_65", "hypertension"])
        // Without the concurrent add, the removal wins.
        #expect(try remover.merged(with: base).members("tags") == [])
    }

    @Test func twoStatesGivingOneWriteDifferentValuesAreRefused() throws {
        let base = EntityState.record(node: "a", [:])
        var honest = base
        honest.edit("a", ["note": "real"])
        var forged = base
        forged.edit("a", ["note": "forged"])
        #expect(throws: MergeError.inconsistentHistory(id: base.id, field: "note", dot: Dot(node: "a", counter: 2))) {
            try honest.merged(with: forged)
        }
    }

    /// Found by the fuzzer: two states naming different clerks for one write
    /// made the merge depend on order.
    @Test func twoStatesGivingOneWriteDifferentAuthorsAreRefused() throws {
        let base = EntityState.record(node: "a", [:])
        var honest = base
        honest.write([.set("note", "x")], node: "a", time: 5, clerk: "li")
        var altered = base
        altered.write([.set("note", "x")], node: "a", time: 5, clerk: "wang")
        #expect(throws: MergeError.inconsistentHistory(id: base.id, field: "writes", dot: Dot(node: "a", counter: 2))) {
            try honest.merged(with: altered)
        }
        #expect(throws: MergeError.self) { try altered.merged(with: honest) }
    }
}
