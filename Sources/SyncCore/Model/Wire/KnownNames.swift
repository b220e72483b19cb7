/// Names a decoder expects as object keys (an entity's keys, field names),
/// matched against a key's bytes as read: most keys are one of a few dozen
/// names, and making a `String` of each cost more than the rest of reading it.
struct KnownNames: Sendable {
    /// The names, as given; a match is a position here.
    let names: [String]
    /// Every name's UTF-8, one after another; name `i` is at
    /// `starts[i]..<starts[i + 1]`.
    private let utf8: [UInt8]
    private let starts: [Int]
    /// By `slot(of:)`: 1 + the position of the only name there, 0 for none,
    /// -1 for several (then each is compared).
    private let slots: [Int16]

    private static let slotCount = 128

    init(_ names: [String]) {
        precondition(names.count < Int(Int16.max), "a few names, not thousands")
        self.names = names
        var utf8: [UInt8] = []
        var starts = [0]
        var slots = [Int16](repeating: 0, count: Self.slotCount)
        for (index, name) in names.enumerated() {
            let bytes = Array(name.utf8)
            utf8 += bytes
            starts.append(utf8.count)
            let slot = bytes.withUnsafeBufferPointer(Self.slot(of:))
            slots[slot] = slots[slot] == 0 ? Int16(index + 1) : -1
        }
        self.utf8 = utf8
        self.starts = starts
        self.slots = slots
    }

    /// A cheap mix of a key's length and its first, second and last bytes.
    @inline(__always)
    private static func slot(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let first = bytes.first, let last = bytes.last else { return 0 }
        let second = bytes.count > 1 ? Int(bytes[1]) : 0
        return (bytes.count &* 31 &+ Int(first) &* 7 &+ second &* 3 &+ Int(last)) & (slotCount - 1)
    }

    /// The position of the name spelled by `bytes`, or nil.
    @inline(__always)
    func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let entry = slots[Self.slot(of: bytes)]
        if entry == 0 { return nil }
        return utf8.withUnsafeBufferPointer { all -> Int? in
            func isName(_ index: Int) -> Bool {
                ByteText.equal(UnsafeBufferPointer(rebasing: all[starts[index]..<starts[index + 1]]), bytes)
            }
            if entry > 0 { return isName(Int(entry) - 1) ? Int(entry) - 1 : nil }
            return names.indices.first(where: isName)
        }
    }

    /// The position of the name at `start` in `buffer` followed by `":`,
    /// trying the names at `hint` and the two after it: decoding canonical
    /// states, the key after name `i` is usually name `i + 1` (an entity's
    /// keys in their order, field names sorted, most of them present).
    @inline(__always)
    func match(in buffer: UnsafeBufferPointer<UInt8>, at start: Int, hint: Int) -> Int? {
        guard hint < names.count else { return nil }
        return utf8.withUnsafeBufferPointer { all -> Int? in
            for index in hint..<min(hint + 3, names.count) {
                let name = UnsafeBufferPointer(rebasing: all[starts[index]..<starts[index + 1]])
                let end = start + name.count
                guard end + 1 < buffer.count, buffer[end] == UInt8(ascii: "\""), buffer[end + 1] == UInt8(ascii: ":")
                else { continue }
                if ByteText.equal(UnsafeBufferPointer(rebasing: buffer[start..<end]), name) { return index }
            }
            return nil
        }
    }

    /// The length in bytes of name `index`.
    func utf8Count(_ index: Int) -> Int { starts[index + 1] - starts[index] }

    /// The position of `name`, or nil.
    func index(of name: String) -> Int? {
        names.firstIndex(of: name)
    }
}
