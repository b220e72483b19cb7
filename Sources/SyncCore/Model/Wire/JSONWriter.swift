/// Writes JSON straight into a byte buffer: no intermediate objects, so
/// encoding a state costs about as much as copying it.
public struct JSONWriter {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always) public mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    public mutating func raw<C: Collection>(contentsOf other: C) where C.Element == UInt8 {
        bytes.append(contentsOf: other)
    }

    public mutating func null() { raw("null") }

    public mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    public mutating func int(_ value: Int64) {
        if value < 0 {
            raw(UInt8(ascii: "-"))
            uint(value.magnitude)
        } else {
            uint(UInt64(value))
        }
    }

    public mutating func uint(_ value: UInt64) {
        if value < 10 {
            raw(UInt8(48 + value))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(48 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) {
                bytes.append(buffer[index])
            }
        }
    }

    public mutating func double(_ value: Double) {
        if value.isFinite {
            raw(contentsOf: String(value).utf8)
        } else {
            null()
        }
    }

    public mutating func string(_ value: String?) {
        guard var value else {
            null()
            return
        }
        value.withUTF8 { string(utf8: $0) }
    }

    /// Escapes quotes, backslashes and control characters; everything else,
    /// Chinese text included, goes out as UTF-8.
    public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        raw(UInt8(ascii: "\""))
        contents(utf8)
        raw(UInt8(ascii: "\""))
    }

    /// As `string`, and also writes as `\uxxxx` every other character the
    /// field rules refuse (`TextCharacters`: DEL, C1 controls, bidi
    /// controls, zero-width and invisible characters, line separators), so
    /// that JSON a person reads in a terminal shows them instead of acting on
    /// them. It decodes to the same text. Not for the wire, whose canonical
    /// form escapes only what JSON requires.
    public mutating func visibleString(_ value: String?) {
        guard var value else {
            null()
            return
        }
        value.withUTF8 { utf8 in
            raw(UInt8(ascii: "\""))
            var start = 0
            while let found = TextCharacters.firstRefused(
                in: UnsafeBufferPointer(rebasing: utf8[start...]), multiLine: true)
            {
                let at = start + found
                contents(UnsafeBufferPointer(rebasing: utf8[start..<at]))
                let (scalar, length) = TextCharacters.scalar(at: at, in: utf8)
                if scalar.value < 0x20 {
                    contents(UnsafeBufferPointer(rebasing: utf8[at..<(at + 1)]))
                } else {
                    // Every refused character is in the Basic Multilingual Plane: four digits.
                    raw("\\u")
                    let hex: StaticString = "0123456789abcdef"
                    hex.withUTF8Buffer { digits in
                        for shift in stride(from: 12, through: 0, by: -4) {
                            bytes.append(digits[Int((scalar.value >> UInt32(shift)) & 0x0F)])
                        }
                    }
                }
                start = at + length
            }
            contents(UnsafeBufferPointer(rebasing: utf8[start...]))
            raw(UInt8(ascii: "\""))
        }
    }

    /// A string's contents, escaped as `string` says, without the quotes.
    @inline(__always)
    private mutating func contents(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
            start = index + 1
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            default:
                raw("\\u00")
                let hex: StaticString = "0123456789abcdef"
                hex.withUTF8Buffer { digits in
                    bytes.append(digits[Int(byte >> 4)])
                    bytes.append(digits[Int(byte & 0x0F)])
                }
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
    }

    /// `"key":`
    public mutating func key(_ key: StaticString) {
        raw(UInt8(ascii: "\""))
        raw(key)
        raw("\":")
    }

    public mutating func key(_ key: String) {
        string(key)
        raw(UInt8(ascii: ":"))
    }

    public mutating func comma() { raw(UInt8(ascii: ",")) }
}
