/// Byte-level checks on UTF-8 text, eight bytes at a time: the decoder runs
/// them on every string it reads, and the generic collection algorithms
/// went a byte at a time through an iterator.
enum ByteText {
    /// Whether every byte is below 0x80.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// Whether the two hold the same bytes.
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let left = a.baseAddress, let right = b.baseAddress else { return true }
        let (x, y) = (UnsafeRawPointer(left), UnsafeRawPointer(right))
        var index = 0
        while index + 8 <= a.count {
            if x.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != y.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        while index < a.count {
            if left[index] != right[index] { return false }
            index += 1
        }
        return true
    }

    /// The position of the first '"' or '\\' at or after `start`, or the
    /// buffer's end: the end of a string's plain run, found eight bytes at
    /// a time.
    @inline(__always)
    static func firstQuoteOrBackslash(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let raw = UnsafeRawPointer(base)
        var index = start
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if hasByte(word, 0x22) || hasByte(word, 0x5C) { break }
            index += 8
        }
        while index < bytes.count, base[index] != 0x22, base[index] != 0x5C { index += 1 }
        return index
    }

    /// Whether one of the word's eight bytes is `byte`.
    @inline(__always)
    private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// The position of the first byte at or after `start` that ends a
    /// string's plain run: '"', '\\' or a control character; or the
    /// buffer's end.
    @inline(__always)
    static func firstStringSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let raw = UnsafeRawPointer(base)
        var index = start
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // A byte below 0x20: the borrow reaches its top bit.
            let control = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 != 0
            if control || hasByte(word, 0x22) || hasByte(word, 0x5C) { break }
            index += 8
        }
        while index < bytes.count, base[index] >= 0x20, base[index] != 0x22, base[index] != 0x5C { index += 1 }
        return index
    }
}
