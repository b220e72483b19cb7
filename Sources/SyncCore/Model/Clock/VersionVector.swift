/// A version vector: for each node, how many of its writes to one entity have
/// been seen. Holds node ids only and is never pruned (pruning is how
/// Riak grew false conflicts).
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    /// How two vectors relate causally.
    public enum Order: Sendable, Equatable {
        case equal, before, after, concurrent
    }

    /// Counters per node; a node that is absent reads 0. Never holds a 0.
    public private(set) var counters: [String: UInt64]

    public init(_ counters: [String: UInt64] = [:]) {
        self.counters = counters.contains { $0.value == 0 } ? counters.filter { $0.value > 0 } : counters
    }

    public subscript(node: String) -> UInt64 {
        counters[node] ?? 0
    }

    /// Whether the write `dot` is part of the history this vector describes.
    public func contains(_ dot: Dot) -> Bool {
        self[dot.node] >= dot.counter
    }

    /// True when every counter here is at least the other's: this history
    /// includes the other (or equals it).
    public func descends(_ other: VersionVector) -> Bool {
        other.counters.allSatisfy { self[$0.key] >= $0.value }
    }

    public func compare(_ other: VersionVector) -> Order {
        switch (descends(other), other.descends(self)) {
        case (true, true): return .equal
        case (true, false): return .after
        case (false, true): return .before
        case (false, false): return .concurrent
        }
    }

    /// The least vector that descends both: the maximum per node.
    public func merged(_ other: VersionVector) -> VersionVector {
        var result = self
        result.formMerge(other)
        return result
    }

    public mutating func formMerge(_ other: VersionVector) {
        for (node, counter) in other.counters where counter > self[node] {
            counters[node] = counter
        }
    }

    /// Counts one more write by `node` and returns its dot.
    public mutating func increment(_ node: String) -> Dot {
        let next = self[node] + 1
        counters[node] = next
        return Dot(node: node, counter: next)
    }

    /// Nodes in a fixed order, for the description.
    var sortedNodes: [String] { counters.keys.sorted() }

    public var description: String {
        "{" + sortedNodes.map { "\($0):\(counters[$0]!)" }.joined(separator: ",") + "}"
    }
}

extension VersionVector {
    /// This vector with `node`'s counter set to `counter` (0 removes it).
    package func setting(_ node: String, to counter: UInt64) -> VersionVector {
        var result = self
        result.counters[node] = counter == 0 ? nil : counter
        return result
    }
}
