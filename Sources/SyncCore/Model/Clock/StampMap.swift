/// Who and when of an entity's writes, by dot: one sorted array rather than
/// a dictionary. A state holds a few stamps; a dictionary cost a hash table
/// and a string hash per stamp for every state decoded, and the canonical
/// encoding lists the writes in dot order anyway.
public struct StampMap: Equatable, Sendable {
    /// Sorted by dot, each dot once.
    public private(set) var values: [WriteStamp] = []

    public init() {}

    /// Stamps already sorted by dot, each dot once.
    init(sorted values: [WriteStamp]) {
        assert(values.indices.dropFirst().allSatisfy { values[$0 - 1].dot < values[$0].dot })
        self.values = values
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    /// Where `dot` is, or where it would go.
    private func position(of dot: Dot) -> (found: Bool, index: Int) {
        if let last = values.last?.dot, last < dot { return (false, values.count) }
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle].dot < dot { low = middle + 1 } else { high = middle }
        }
        return (low < values.count && values[low].dot == dot, low)
    }

    /// The stamp of the write `dot`; nil when none is kept. Setting one
    /// replaces the stamp with that dot.
    public subscript(dot: Dot) -> WriteStamp? {
        get {
            let (found, index) = position(of: dot)
            return found ? values[index] : nil
        }
        set {
            let (found, index) = position(of: dot)
            switch (found, newValue) {
            case (true, let stamp?): values[index] = stamp
            case (true, nil): values.remove(at: index)
            case (false, let stamp?): values.insert(stamp, at: index)
            case (false, nil): break
            }
        }
    }

    /// Keeps only the stamps of `live`, a sorted list of dots (repeats
    /// allowed). Builds nothing when every stamp is live, the usual case.
    mutating func keepOnly(sortedDots live: [Dot]) {
        var cursor = 0
        var kept: [WriteStamp]?
        for (index, stamp) in values.enumerated() {
            while cursor < live.count, live[cursor] < stamp.dot { cursor += 1 }
            let isLive = cursor < live.count && live[cursor] == stamp.dot
            if !isLive && kept == nil {
                kept = Array(values[..<index])
            } else if isLive {
                kept?.append(stamp)
            }
        }
        if let kept { values = kept }
    }

    /// Both maps' stamps; where both have a dot, this map's.
    func merging(_ other: StampMap) -> StampMap {
        let (a, b) = (values, other.values)
        var merged: [WriteStamp] = []
        merged.reserveCapacity(Swift.max(a.count, b.count))
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if j == b.count || i < a.count && a[i].dot < b[j].dot {
                merged.append(a[i])
                i += 1
            } else if i == a.count || b[j].dot < a[i].dot {
                merged.append(b[j])
                j += 1
            } else {
                merged.append(a[i])
                i += 1
                j += 1
            }
        }
        return StampMap(sorted: merged)
    }
}
