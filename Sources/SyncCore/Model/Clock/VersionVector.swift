/// A version vector: for each node, how many of its writes to one entity have
/// been seen. Holds node ids only and is never pruned (pruning is how
/// Riak grew false conflicts).
///
/// Kept as one array sorted by node id rather than a dictionary: a clock
/// names one node or a few, every state decoded has one, and the canonical
/// encoding lists its nodes in order. Lookups scan or search a short array
/// instead of hashing the node id.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    /// How two vectors relate causally.
    public enum Order: Sendable, Equatable {
        case equal, before, after, concurrent
    }

    /// A node and how many of its writes were seen.
    public struct NodeCounter: Hashable, Sendable {
        public let node: String
        public internal(set) var counter: UInt64
    }

    /// Sorted by node id, each node once, no counter 0.
    public private(set) var nodeCounters: [NodeCounter] = []

    public init(_ counters: [String: UInt64] = [:]) {
        nodeCounters = counters.filter { $0.value > 0 }.map { NodeCounter(node: $0.key, counter: $0.value) }
            .sorted { $0.node < $1.node }
    }

    /// From counters already sorted by node id, each node once, none 0.
    init(sorted nodeCounters: [NodeCounter]) {
        assert(nodeCounters.indices.dropFirst().allSatisfy { nodeCounters[$0 - 1].node < nodeCounters[$0].node })
        assert(nodeCounters.allSatisfy { $0.counter > 0 })
        self.nodeCounters = nodeCounters
    }

    /// Counters per node; a node that is absent reads 0. Never holds a 0.
    public var counters: [String: UInt64] {
        Dictionary(uniqueKeysWithValues: nodeCounters.map { ($0.node, $0.counter) })
    }

    /// Where `node` is, or where it would go.
    private func position(of node: String) -> (found: Bool, index: Int) {
        var low = 0
        var high = nodeCounters.count
        while low < high {
            let middle = (low + high) / 2
            if nodeCounters[middle].node < node { low = middle + 1 } else { high = middle }
        }
        return (low < nodeCounters.count && nodeCounters[low].node == node, low)
    }

    public subscript(node: String) -> UInt64 {
        // Most clocks name one node: no search.
        if nodeCounters.count == 1 { return nodeCounters[0].node == node ? nodeCounters[0].counter : 0 }
        let (found, index) = position(of: node)
        return found ? nodeCounters[index].counter : 0
    }

    /// Whether the write `dot` is part of the history this vector describes.
    public func contains(_ dot: Dot) -> Bool {
        self[dot.node] >= dot.counter
    }

    /// True when every counter here is at least the other's: this history
    /// includes the other (or equals it).
    public func descends(_ other: VersionVector) -> Bool {
        // Both sorted: one walk.
        var mine = 0
        for theirs in other.nodeCounters {
            while mine < nodeCounters.count, nodeCounters[mine].node < theirs.node { mine += 1 }
            guard mine < nodeCounters.count, nodeCounters[mine].node == theirs.node,
                nodeCounters[mine].counter >= theirs.counter
            else { return false }
        }
        return true
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
        if other.descends(self) { return other }
        if descends(other) { return self }
        let (a, b) = (nodeCounters, other.nodeCounters)
        var merged: [NodeCounter] = []
        merged.reserveCapacity(a.count + b.count)
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if j == b.count || i < a.count && a[i].node < b[j].node {
                merged.append(a[i])
                i += 1
            } else if i == a.count || b[j].node < a[i].node {
                merged.append(b[j])
                j += 1
            } else {
                merged.append(a[i].counter >= b[j].counter ? a[i] : b[j])
                i += 1
                j += 1
            }
        }
        return VersionVector(sorted: merged)
    }

    public mutating func formMerge(_ other: VersionVector) {
        self = merged(other)
    }

    /// Counts one more write by `node` and returns its dot.
    public mutating func increment(_ node: String) -> Dot {
        let (found, index) = position(of: node)
        if found {
            nodeCounters[index].counter += 1
        } else {
            nodeCounters.insert(NodeCounter(node: node, counter: 1), at: index)
        }
        return Dot(node: node, counter: nodeCounters[index].counter)
    }

    /// Nodes in a fixed order, for the description.
    var sortedNodes: [String] { nodeCounters.map(\.node) }

    public var description: String {
        "{" + nodeCounters.map { "\($0.node):\($0.counter)" }.joined(separator: ",") + "}"
    }
}

extension VersionVector {
    /// This vector with `node`'s counter set to `counter` (0 removes it).
    package func setting(_ node: String, to counter: UInt64) -> VersionVector {
        var result = self
        let (found, index) = position(of: node)
        switch (found, counter) {
        case (true, 0): result.nodeCounters.remove(at: index)
        case (true, _): result.nodeCounters[index].counter = counter
        case (false, 0): break
        case (false, _): result.nodeCounters.insert(NodeCounter(node: node, counter: counter), at: index)
        }
        return result
    }
}
