import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

/// Cases re-expressed from riak_core's `vclock` tests, akka's
/// `VectorClockSpec`, and the dotted-version-vector papers.
@Suite struct VersionVectorTests {
    @Test func missingNodeReadsZero() {
        let clock = VersionVector(["a": 2])
        #expect(clock["b"] == 0)
        #expect(VersionVector(["a": 0]) == VersionVector())
    }

    @Test func aClockDescendsItselfAndTheEmptyClock() {
        let clock = VersionVector(["a": 1, "b": 2])
        #expect(clock.descends(clock))
        #expect(clock.descends(VersionVector()))
        #expect(!VersionVector().descends(clock))
    }

    @Test func incrementedClockDescendsItsAncestor() {
        var clock = VersionVector(["a": 1])
        let ancestor = clock
        _ = clock.increment("b")
        #expect(clock.compare(ancestor) == .after)
        #expect(ancestor.compare(clock) == .before)
    }

    @Test func singleNodeEntriesOfDifferentNodesAreConcurrent() {
        #expect(VersionVector(["1": 1]).compare(VersionVector(["2": 1])) == .concurrent)
    }

    @Test func clocksSharingANodeButDivergingElsewhereAreConcurrent() {
        let left = VersionVector(["1": 2, "2": 1])
        let right = VersionVector(["1": 2, "3": 1])
        #expect(left.compare(right) == .concurrent)
        #expect(right.compare(left) == .concurrent)
    }

    @Test func mergeTakesTheMaximumPerNode() {
        let left = VersionVector(["a": 1, "b": 5, "c": 2])
        let right = VersionVector(["a": 3, "b": 1, "d": 7])
        #expect(left.merged(right) == VersionVector(["a": 3, "b": 5, "c": 2, "d": 7]))
    }

    @Test func mergeIsOrderFreeIdempotentAndAssociative() {
        let a = VersionVector(["x": 1, "y": 4])
        let b = VersionVector(["y": 2, "z": 3])
        let c = VersionVector(["x": 9])
        #expect(a.merged(b) == b.merged(a))
        #expect(a.merged(a) == a)
        #expect(a.merged(b).merged(c) == a.merged(b.merged(c)))
    }

    @Test func forksThatMergeGiveAClockGreaterThanBoth() {
        var base = VersionVector(["1": 1])
        var left = base
        var right = base
        _ = left.increment("1")
        _ = right.increment("2")
        #expect(left.compare(right) == .concurrent)
        base = left.merged(right)
        _ = base.increment("1")
        #expect(base.compare(left) == .after)
        #expect(base.compare(right) == .after)
    }

    @Test func equalClocksCompareEqual() {
        #expect(VersionVector(["a": 1, "b": 2]).compare(VersionVector(["b": 2, "a": 1])) == .equal)
    }

    @Test func containsADotExactlyWhenItsCounterIsCovered() {
        let clock = VersionVector(["a": 3])
        #expect(clock.contains(Dot(node: "a", counter: 3)))
        #expect(!clock.contains(Dot(node: "a", counter: 4)))
        #expect(!clock.contains(Dot(node: "b", counter: 1)))
    }

    /// The DVV case: a write made on a stale context (it did not see a
    /// concurrent sibling) must keep that sibling, even after the writer's
    /// counter moves on.
    @Test func writeOnStaleContextKeepsTheSiblingItDidNotSee() throws {
        let base = EntityState.record(node: "s", [:])
        var server = base
        var client = base
        server.edit("s", ["note": "v2 written at the server"])
        client.edit("c", ["note": "v1 from a stale read"])
        client.edit("c", ["note": "v1 again, still stale"])
        let merged = try server.merged(with: client)
        #expect(Set(merged.candidates("note").map(\.value)) == ["v2 written at the server", "v1 again, still stale"])
    }
}
