/// One write: the node that made it and that node's counter for the entity.
///
/// Ordered by counter, then node id, so that every node picks the same
/// display value among conflict candidates.
public struct Dot: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let node: String
    public let counter: UInt64

    public init(node: String, counter: UInt64) {
        self.node = node
        self.counter = counter
    }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        lhs.counter != rhs.counter ? lhs.counter < rhs.counter : lhs.node < rhs.node
    }

    public var description: String { "\(node):\(counter)" }
}
