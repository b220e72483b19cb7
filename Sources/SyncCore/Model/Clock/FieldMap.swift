/// An entity's fields: each name with its live entries, kept sorted by name.
///
/// Two flat arrays rather than a dictionary of arrays: a state holds a dozen
/// fields, a sync makes states by the hundred thousand, and the canonical
/// encoding wants them in name order. A state's fields are then two
/// allocations, not one per field; looking a name up is a binary search over
/// a dozen short strings, with no hashing; a field's entries are read as a
/// slice of the one array, without copying.
public struct FieldMap: Equatable, Sendable, Sequence {
    public typealias Element = (key: String, value: ArraySlice<FieldEntry>)

    /// A field's name and where its entries end in `entries` (they start
    /// where the previous field's end).
    struct Slot: Equatable, Sendable {
        var name: String
        var end: Int
    }

    /// Sorted by name, each name once, none without entries: so equal maps
    /// have equal arrays.
    private var slots: [Slot] = []
    private var entries: [FieldEntry] = []

    public init() {}

    /// A map from slots already sorted by name, each with at least one entry.
    init(sortedSlots slots: [Slot], entries: [FieldEntry]) {
        assert(slots.indices.dropFirst().allSatisfy { slots[$0 - 1].name < slots[$0].name })
        assert(slots.indices.allSatisfy { slots[$0].end > ($0 == 0 ? 0 : slots[$0 - 1].end) })
        assert(slots.last?.end ?? 0 == entries.count)
        self.slots = slots
        self.entries = entries
    }

    public var count: Int { slots.count }
    public var isEmpty: Bool { slots.isEmpty }
    /// The field names, sorted.
    public var keys: [String] { slots.map(\.name) }
    /// Every field's entries, one field after another in name order.
    var allEntries: [FieldEntry] { entries }

    private func start(_ index: Int) -> Int { index == 0 ? 0 : slots[index - 1].end }

    /// Where `name` is, or where it would go.
    private func position(of name: String) -> (found: Bool, index: Int) {
        // Decoding canonical bytes appends names in order: check the end first.
        if let last = slots.last?.name, last < name { return (false, slots.count) }
        var low = 0
        var high = slots.count
        while low < high {
            let middle = (low + high) / 2
            if slots[middle].name < name { low = middle + 1 } else { high = middle }
        }
        return (low < slots.count && slots[low].name == name, low)
    }

    /// A field's entries; setting an empty list or nil removes the field.
    public subscript(name: String) -> ArraySlice<FieldEntry>? {
        get {
            let (found, index) = position(of: name)
            return found ? entries[start(index)..<slots[index].end] : nil
        }
        set {
            let (found, index) = position(of: name)
            let newEntries = newValue ?? []
            let range = found ? start(index)..<slots[index].end : start(index)..<start(index)
            let shift = newEntries.count - range.count
            if newEntries.isEmpty {
                guard found else { return }
                slots.remove(at: index)
            } else if found {
                slots[index].end += shift
            } else {
                slots.insert(Slot(name: name, end: range.lowerBound + newEntries.count), at: index)
            }
            entries.replaceSubrange(range, with: newEntries)
            if shift != 0 {
                for later in (newEntries.isEmpty ? index : index + 1)..<slots.count { slots[later].end += shift }
            }
        }
    }

    /// Adds a field whose name sorts after every name here (the canonical
    /// order, in which merges and decoding produce fields); `entries` must
    /// not be empty.
    mutating func append<S: Sequence>(_ name: String, _ fieldEntries: S) where S.Element == FieldEntry {
        assert(slots.last.map { $0.name < name } ?? true, "fields are appended in name order")
        entries.append(contentsOf: fieldEntries)
        assert(entries.count > (slots.last?.end ?? 0), "a field has entries")
        slots.append(Slot(name: name, end: entries.count))
    }

    /// Whether some field holds an entry that satisfies `predicate`.
    func containsEntry(where predicate: (FieldEntry) throws -> Bool) rethrows -> Bool {
        try entries.contains(where: predicate)
    }

    /// The names in either map, sorted, each once.
    static func unionOfNames(_ first: FieldMap, _ second: FieldMap) -> [String] {
        let (a, b) = (first.slots, second.slots)
        var union: [String] = []
        union.reserveCapacity(Swift.max(a.count, b.count))
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if j == b.count || i < a.count && a[i].name < b[j].name {
                union.append(a[i].name)
                i += 1
            } else if i == a.count || b[j].name < a[i].name {
                union.append(b[j].name)
                j += 1
            } else {
                union.append(a[i].name)
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
            guard index < map.slots.count else { return nil }
            defer { index += 1 }
            return (map.slots[index].name, map.entries[map.start(index)..<map.slots[index].end])
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }
}
