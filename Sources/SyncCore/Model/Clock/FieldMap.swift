/// An entity's fields: each name with its live entries, kept sorted by name.
///
/// A pair of sorted arrays rather than a dictionary: a state holds a dozen
/// fields, a sync makes states by the hundred thousand, and the canonical
/// encoding wants them in name order. Looking a name up is a binary search
/// over a dozen short strings, with no hashing and no hash table to allocate.
public struct FieldMap: Equatable, Sendable, Sequence {
    public typealias Element = (key: String, value: [FieldEntry])

    private var names: [String] = []
    private var entries: [[FieldEntry]] = []

    public init() {}

    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }
    /// The field names, sorted.
    public var keys: [String] { names }
    /// Each field's entries, in name order.
    public var values: [[FieldEntry]] { entries }

    mutating func reserveCapacity(_ count: Int) {
        names.reserveCapacity(count)
        entries.reserveCapacity(count)
    }

    /// Where `name` is, or where it would go.
    private func position(of name: String) -> (found: Bool, index: Int) {
        // Decoding canonical bytes appends names in order: check the end first.
        if let last = names.last, last < name { return (false, names.count) }
        var low = 0
        var high = names.count
        while low < high {
            let middle = (low + high) / 2
            if names[middle] < name { low = middle + 1 } else { high = middle }
        }
        return (low < names.count && names[low] == name, low)
    }

    public subscript(name: String) -> [FieldEntry]? {
        get {
            let (found, index) = position(of: name)
            return found ? entries[index] : nil
        }
        set {
            let (found, index) = position(of: name)
            switch (found, newValue) {
            case (true, let value?):
                entries[index] = value
            case (true, nil):
                names.remove(at: index)
                entries.remove(at: index)
            case (false, let value?):
                names.insert(name, at: index)
                entries.insert(value, at: index)
            case (false, nil):
                break
            }
        }
    }

    /// The names in either map, sorted, each once.
    static func unionOfNames(_ first: FieldMap, _ second: FieldMap) -> [String] {
        let (a, b) = (first.names, second.names)
        var union: [String] = []
        union.reserveCapacity(Swift.max(a.count, b.count))
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if j == b.count || i < a.count && a[i] < b[j] {
                union.append(a[i])
                i += 1
            } else if i == a.count || b[j] < a[i] {
                union.append(b[j])
                j += 1
            } else {
                union.append(a[i])
                i += 1
                j += 1
            }
        }
        return union
    }

    public struct Iterator: IteratorProtocol {
        private let map: FieldMap
        private var index = 0

        init(_ map: FieldMap) { self.map = map }

        public mutating func next() -> Element? {
            guard index < map.names.count else { return nil }
            defer { index += 1 }
            return (map.names[index], map.entries[index])
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }
}
