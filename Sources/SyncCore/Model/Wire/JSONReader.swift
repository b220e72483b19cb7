/// A pull parser over UTF-8 bytes: the caller asks for the value it expects
/// next, so decoding builds no intermediate tree. Valid only while the
/// buffer it reads is alive.
public struct JSONReader {
    public static let maxDepth = 64

    let buffer: UnsafeBufferPointer<UInt8>
    public private(set) var offset: Int = 0
    /// Set when the text read since this was last cleared is not in the form
    /// `JSONWriter` writes: white space between tokens, an escape sequence, a
    /// number with a leading zero or a minus zero. Lets a decoder tell whether
    /// bytes it read are already canonical.
    public internal(set) var irregular = false

    public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    // MARK: - Bytes

    @inline(__always) mutating func skipWhitespace() {
        while offset < buffer.count {
            let byte = buffer[offset]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            offset += 1
            irregular = true
        }
    }

    /// The next non-space byte, not consumed.
    public mutating func peek() throws(JSONError) -> UInt8 {
        skipWhitespace()
        guard offset < buffer.count else { throw JSONError(.unexpectedEnd, at: offset) }
        return buffer[offset]
    }

    /// `expected` is built only when the byte is not there.
    mutating func expect(_ byte: UInt8, _ expected: @autoclosure () -> String) throws(JSONError) {
        let found = try peek()
        guard found == byte else { throw unexpected(expected()) }
        offset += 1
    }

    func unexpected(_ expected: String) -> JSONError {
        guard offset < buffer.count else { return JSONError(.unexpectedEnd, at: offset) }
        let byte = buffer[offset]
        let found =
            byte >= 0x20 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'"
            : tr("byte 0x\(String(byte, radix: 16))", zh: "字节 0x\(String(byte, radix: 16))")
        return JSONError(.unexpected(found: found, expected: expected), at: offset)
    }

    public func schemaError(_ message: String) -> JSONError {
        JSONError(.schema(message), at: offset)
    }

    /// Only whitespace may follow the value.
    public mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        guard offset == buffer.count else { throw JSONError(.trailingData, at: offset) }
    }

    // MARK: - Containers

    public mutating func beginObject(_ what: @autoclosure () -> String) throws(JSONError) {
        guard try peek() == UInt8(ascii: "{") else { throw schemaTypeError(what(), tr("an object", zh: "对象")) }
        offset += 1
    }

    /// The next key of the object, or nil at its end.
    public mutating func nextKey(_ first: inout Bool) throws(JSONError) -> String? {
        if try peek() == UInt8(ascii: "}") {
            offset += 1
            return nil
        }
        if !first { try expect(UInt8(ascii: ","), tr("',' or '}'", zh: "',' 或 '}'")) }
        first = false
        guard try peek() == UInt8(ascii: "\"") else { throw unexpected(tr("a quoted key", zh: "带引号的键")) }
        let key = try readString("key")
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// What `nextKey(_:among:hint:)` found: one of the names it was given (by
    /// its position there), or another key's text.
    enum KeyMatch: Equatable {
        case known(Int)
        case other(String)
    }

    /// The next key of the object, or nil at its end, matched against
    /// `names` over its bytes: a known key costs no `String`. `hint` is the
    /// name expected (tried first), and after a match the one after it.
    mutating func nextKey(_ first: inout Bool, among names: KnownNames, hint: inout Int) throws(JSONError)
        -> KeyMatch?
    {
        let match = try nextKey(&first, among: names, trying: hint)
        if case .known(let index) = match { hint = index + 1 }
        return match
    }

    private mutating func nextKey(_ first: inout Bool, among names: KnownNames, trying hint: Int) throws(JSONError)
        -> KeyMatch?
    {
        // As `JSONWriter` writes it: `,"name":` (or without the comma first),
        // a known name, no white space.
        let quote = first ? offset : offset + 1
        if first || byte(offset) == UInt8(ascii: ","), byte(quote) == UInt8(ascii: "\"") {
            if let index = names.match(in: buffer, at: quote + 1, hint: hint) {
                first = false
                offset = quote + 1 + names.utf8Count(index) + 2
                return .known(index)
            }
            let end = ByteText.firstStringSpecial(in: buffer, from: quote + 1)
            if byte(end) == UInt8(ascii: "\""), byte(end + 1) == UInt8(ascii: ":"),
                let index = names.index(of: UnsafeBufferPointer(rebasing: buffer[(quote + 1)..<end]))
            {
                first = false
                offset = end + 2
                return .known(index)
            }
        }
        if try peek() == UInt8(ascii: "}") {
            offset += 1
            return nil
        }
        if !first { try expect(UInt8(ascii: ","), tr("',' or '}'", zh: "',' 或 '}'")) }
        first = false
        guard try peek() == UInt8(ascii: "\"") else { throw unexpected(tr("a quoted key", zh: "带引号的键")) }
        let start = offset + 1
        let end = ByteText.firstStringSpecial(in: buffer, from: start)
        let match: KeyMatch
        if end < buffer.count, buffer[end] == UInt8(ascii: "\""),
            let index = names.index(of: UnsafeBufferPointer(rebasing: buffer[start..<end]))
        {
            offset = end + 1
            match = .known(index)
        } else {
            // Escaped, unknown or ill-formed: read as any key is.
            let key = try readString("key")
            match = names.index(of: key).map(KeyMatch.known) ?? .other(key)
        }
        try expect(UInt8(ascii: ":"), "':'")
        return match
    }

    public mutating func beginArray(_ what: @autoclosure () -> String) throws(JSONError) {
        guard try peek() == UInt8(ascii: "[") else { throw schemaTypeError(what(), tr("an array", zh: "数组")) }
        offset += 1
    }

    /// Whether another element follows; false at the array's end.
    public mutating func nextElement(_ first: inout Bool) throws(JSONError) -> Bool {
        if try peek() == UInt8(ascii: "]") {
            offset += 1
            return false
        }
        if !first { try expect(UInt8(ascii: ","), tr("',' or ']'", zh: "',' 或 ']'")) }
        first = false
        return true
    }

    func schemaTypeError(_ what: String, _ expected: String) -> JSONError {
        guard offset < buffer.count else { return JSONError(.unexpectedEnd, at: offset) }
        let found: String
        switch buffer[offset] {
        case UInt8(ascii: "{"): found = tr("an object", zh: "对象")
        case UInt8(ascii: "["): found = tr("an array", zh: "数组")
        case UInt8(ascii: "\""): found = tr("a string", zh: "字符串")
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            // Only a real literal is "a boolean" or "null"; `not json` is a syntax error.
            var probe = self
            guard (try? probe.skipValue(depth: Self.maxDepth - 1)) != nil else { return unexpected(expected) }
            found = buffer[offset] == UInt8(ascii: "n") ? "null" : tr("a boolean", zh: "布尔值")
        case UInt8(ascii: "-"), 48...57: found = tr("a number", zh: "数字")
        default: return unexpected(expected)
        }
        return schemaError(tr("\(what) must be \(expected), not \(found)", zh: "\(what) 应为\(expected)，不是\(found)"))
    }

    // MARK: - Scalars

    public mutating func isNull() throws(JSONError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= buffer.count else { throw JSONError(.unexpectedEnd, at: offset) }
        for index in 0..<count where buffer[offset + index] != word.utf8Start[index] {
            throw unexpected("\(word)")
        }
        offset += count
    }

    public mutating func readBool(_ what: @autoclosure () -> String) throws(JSONError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw schemaTypeError(what(), tr("true or false", zh: "true 或 false"))
        }
    }

    public mutating func readStringOrNull(_ what: @autoclosure () -> String) throws(JSONError) -> String? {
        try isNull() ? nil : try readString(what())
    }

    public mutating func readString(_ what: @autoclosure () -> String) throws(JSONError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw schemaTypeError(what(), tr("a string", zh: "字符串")) }
        offset += 1
        let start = offset
        while offset < buffer.count {
            offset = ByteText.firstStringSpecial(in: buffer, from: offset)
            guard offset < buffer.count else { break }
            let byte = buffer[offset]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<offset])
                offset += 1
                guard let string = Self.validatedString(slice) else {
                    throw JSONError(.invalidUTF8, at: start)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if byte < 0x20 { throw JSONError(.controlCharacterInString, at: offset) }
            offset += 1
        }
        throw JSONError(.unexpectedEnd, at: offset)
    }

    /// The UTF-8 text in `bytes`, or nil if it is not valid UTF-8.
    /// `String(validating:as:)` is generic and unspecialised here: it looks
    /// up type metadata on every call. Decoding with repair and comparing the
    /// bytes is specialised.
    @inline(__always)
    static func validatedString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let string = String(decoding: bytes, as: UTF8.self)
        if ByteText.isASCII(bytes) { return string }
        // Repair replaces each ill-formed sequence with U+FFFD: the text is
        // valid exactly when nothing was replaced.
        var copy = string
        let same = copy.withUTF8 { ByteText.equal($0, bytes) }
        return same ? string : nil
    }

    private mutating func readEscapedString(from start: Int) throws(JSONError) -> String {
        irregular = true
        var bytes = [UInt8](UnsafeBufferPointer(rebasing: buffer[start..<offset]))
        while offset < buffer.count {
            let byte = buffer[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: bytes, as: UTF8.self) else {
                    throw JSONError(.invalidUTF8, at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                guard offset < buffer.count else { throw JSONError(.unexpectedEnd, at: offset) }
                let escape = buffer[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard offset + 1 < buffer.count, buffer[offset] == UInt8(ascii: "\\"),
                            buffer[offset + 1] == UInt8(ascii: "u")
                        else { throw JSONError(.invalidEscape, at: offset) }
                        offset += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw JSONError(.invalidEscape, at: offset) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw JSONError(.invalidEscape, at: offset) }
                    bytes.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw JSONError(.invalidEscape, at: offset - 1)
                }
            default:
                if byte < 0x20 { throw JSONError(.controlCharacterInString, at: offset - 1) }
                bytes.append(byte)
            }
        }
        throw JSONError(.unexpectedEnd, at: offset)
    }

    private mutating func readHex4() throws(JSONError) -> UInt32 {
        guard offset + 4 <= buffer.count else { throw JSONError(.unexpectedEnd, at: offset) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = buffer[offset]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 97...102: digit = byte - 87
            case 65...70: digit = byte - 55
            default: throw JSONError(.invalidEscape, at: offset)
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// A whole, non-negative number.
    public mutating func readUInt64(_ what: @autoclosure () -> String) throws(JSONError) -> UInt64 {
        let first = try peek()
        if first == UInt8(ascii: "-") {
            throw schemaError(tr("\(what()) must not be negative", zh: "\(what()) 不能为负数"))
        }
        guard first >= 48, first <= 57 else { throw schemaTypeError(what(), tr("a whole number", zh: "整数")) }
        let start = offset
        if first == 48, offset + 1 < buffer.count, buffer[offset + 1] >= 48, buffer[offset + 1] <= 57 {
            irregular = true
        }
        var value: UInt64 = 0
        while offset < buffer.count, buffer[offset] >= 48, buffer[offset] <= 57 {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(buffer[offset] - 48))
            guard !overflow1, !overflow2 else { throw JSONError(.numberOutOfRange, at: start) }
            value = sum
            offset += 1
        }
        if offset < buffer.count,
            buffer[offset] == UInt8(ascii: ".") || buffer[offset] == UInt8(ascii: "e")
                || buffer[offset] == UInt8(ascii: "E")
        {
            throw JSONError(.schema(tr("\(what()) must be a whole number", zh: "\(what()) 应为整数")), at: start)
        }
        return value
    }

    public mutating func readInt64(_ what: @autoclosure () -> String) throws(JSONError) -> Int64 {
        let negative = try peek() == UInt8(ascii: "-")
        if negative { offset += 1 }
        let start = offset
        let magnitude = try readUInt64(what())
        guard magnitude <= UInt64(Int64.max) else { throw JSONError(.numberOutOfRange, at: start) }
        if negative && magnitude == 0 { irregular = true }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    // MARK: - Skipping

    /// Skips one value of any type, checking its syntax, at most `maxDepth` deep.
    public mutating func skipValue(depth: Int = 0) throws(JSONError) {
        guard depth < Self.maxDepth else { throw JSONError(.tooDeep(limit: Self.maxDepth), at: offset) }
        switch try peek() {
        case UInt8(ascii: "{"):
            offset += 1
            var first = true
            while try nextKey(&first) != nil { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            offset += 1
            var first = true
            while try nextElement(&first) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            _ = try readString("value")
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), 48...57:
            try skipNumber()
        default:
            throw unexpected(tr("a JSON value", zh: "JSON 值"))
        }
    }

    /// Skips one value checking only that its brackets and strings close,
    /// at most `maxDepth` deep: not its numbers, literals, commas or UTF-8.
    /// For looking past values that are decoded properly later, about as
    /// fast as the bytes can be read.
    public mutating func skipStructure() throws(JSONError) {
        _ = try peek()
        var depth = 0
        repeat {
            guard offset < buffer.count else { throw JSONError(.unexpectedEnd, at: offset) }
            switch buffer[offset] {
            case UInt8(ascii: "\""):
                offset += 1
                while true {
                    offset = ByteText.firstQuoteOrBackslash(in: buffer, from: offset)
                    guard offset < buffer.count else { throw JSONError(.unexpectedEnd, at: offset) }
                    if buffer[offset] == UInt8(ascii: "\"") { break }
                    offset += 2
                }
                offset += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= Self.maxDepth else { throw JSONError(.tooDeep(limit: Self.maxDepth), at: offset) }
                offset += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw unexpected(tr("a JSON value", zh: "JSON 值")) }
                depth -= 1
                offset += 1
            default:
                guard depth == 0 else {
                    offset += 1
                    continue
                }
                // A number or literal on its own: up to what ends it.
                while offset < buffer.count {
                    switch buffer[offset] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return
                    default: offset += 1
                    }
                }
            }
        } while depth > 0
    }

    private mutating func skipNumber() throws(JSONError) {
        if buffer[offset] == UInt8(ascii: "-") { offset += 1 }
        let digitsStart = offset
        while offset < buffer.count, (48...57).contains(buffer[offset]) { offset += 1 }
        guard offset > digitsStart else { throw unexpected(tr("a digit", zh: "数字")) }
        if offset < buffer.count, buffer[offset] == UInt8(ascii: ".") {
            offset += 1
            let start = offset
            while offset < buffer.count, (48...57).contains(buffer[offset]) { offset += 1 }
            guard offset > start else { throw unexpected(tr("a digit", zh: "数字")) }
        }
        if offset < buffer.count, buffer[offset] == UInt8(ascii: "e") || buffer[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < buffer.count, buffer[offset] == UInt8(ascii: "+") || buffer[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            let start = offset
            while offset < buffer.count, (48...57).contains(buffer[offset]) { offset += 1 }
            guard offset > start else { throw unexpected(tr("a digit", zh: "数字")) }
        }
    }

    // MARK: - Canonical fast paths

    // What `JSONWriter` writes for a state's parts, read in one step: no
    // white space, no escape, no leading zero. Each reads nothing and
    // returns nil on anything else, and the caller reads token by token,
    // which gives the same result or the same error.

    /// A field entry: `[index,"text"]` or `[index,null]`.
    mutating func readCanonicalEntry() -> (index: UInt64, value: String?)? {
        var at = offset + 1
        guard byte(offset) == UInt8(ascii: "["), let index = canonicalUInt(&at), byte(at) == UInt8(ascii: ",") else {
            return nil
        }
        at += 1
        guard let value = canonicalStringOrNull(&at), byte(at) == UInt8(ascii: "]") else { return nil }
        offset = at + 1
        return (index, value)
    }

    /// A write: `["node",counter,time,"clerk"]` or with a null clerk. A
    /// node spelled like `node` (the clock's, read before) is that
    /// `String`, not a new one.
    mutating func readCanonicalWrite(node known: String? = nil) -> (
        node: String, counter: UInt64, time: Int64, clerk: String?
    )? {
        var at = offset
        guard byte(at) == UInt8(ascii: "[") else { return nil }
        at += 1
        guard byte(at) == UInt8(ascii: "\""), let node = canonicalString(&at, reusing: known),
            byte(at) == UInt8(ascii: ",")
        else {
            return nil
        }
        at += 1
        guard let counter = canonicalUInt(&at), byte(at) == UInt8(ascii: ",") else { return nil }
        at += 1
        let negative = byte(at) == UInt8(ascii: "-")
        if negative { at += 1 }
        guard let magnitude = canonicalUInt(&at), !(negative && magnitude == 0), byte(at) == UInt8(ascii: ",") else {
            return nil
        }
        at += 1
        guard let clerk = canonicalStringOrNull(&at), byte(at) == UInt8(ascii: "]") else { return nil }
        offset = at + 1
        let time = negative ? -Int64(magnitude) : Int64(magnitude)
        return (node, counter, time, clerk)
    }

    /// The byte at `at`, or 0 past the end (a byte no fast path accepts).
    @inline(__always)
    private func byte(_ at: Int) -> UInt8 {
        at < buffer.count ? buffer[at] : 0
    }

    /// Digits without a leading zero, fewer than 19 (no overflow, and
    /// below `Int64.max`), followed by neither '.', 'e' nor 'E'.
    @inline(__always)
    private func canonicalUInt(_ at: inout Int) -> UInt64? {
        let start = at
        var value: UInt64 = 0
        while at < buffer.count, buffer[at] >= 48, buffer[at] <= 57 {
            value = value &* 10 &+ UInt64(buffer[at] &- 48)
            at += 1
        }
        let digits = at - start
        guard digits > 0, digits < 19, !(digits > 1 && buffer[start] == 48) else { return nil }
        let next = byte(at)
        guard next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E") else { return nil }
        return value
    }

    /// A string without escapes, its opening quote at `at`; `known` when
    /// it is spelled the same.
    @inline(__always)
    private func canonicalString(_ at: inout Int, reusing known: String? = nil) -> String? {
        let start = at + 1
        let end = ByteText.firstStringSpecial(in: buffer, from: start)
        guard end < buffer.count, buffer[end] == UInt8(ascii: "\"") else { return nil }
        let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
        if var candidate = known, candidate.withUTF8({ ByteText.equal($0, bytes) }) {
            at = end + 1
            return candidate
        }
        guard let string = Self.validatedString(bytes) else { return nil }
        at = end + 1
        return string
    }

    /// One of `names` as a string value, `"name"` exactly: its position there.
    mutating func readCanonicalString(among names: KnownNames) -> Int? {
        guard byte(offset) == UInt8(ascii: "\"") else { return nil }
        let end = ByteText.firstStringSpecial(in: buffer, from: offset + 1)
        guard byte(end) == UInt8(ascii: "\""),
            let index = names.index(of: UnsafeBufferPointer(rebasing: buffer[(offset + 1)..<end]))
        else { return nil }
        offset = end + 1
        return index
    }

    /// `null` (as `.some(nil)`) or a string without escapes.
    @inline(__always)
    private func canonicalStringOrNull(_ at: inout Int) -> String?? {
        if byte(at) == UInt8(ascii: "n") {
            guard at + 4 <= buffer.count, buffer[at + 1] == UInt8(ascii: "u"), buffer[at + 2] == UInt8(ascii: "l"),
                buffer[at + 3] == UInt8(ascii: "l")
            else { return nil }
            at += 4
            return .some(nil)
        }
        guard byte(at) == UInt8(ascii: "\""), let string = canonicalString(&at) else { return nil }
        return .some(string)
    }

    /// Moves back to `offset`, to re-read or skip a value after a schema error.
    mutating func rewind(to offset: Int) {
        self.offset = offset
    }
}

extension JSONReader {
    /// Runs `body` with a reader over `bytes`.
    public static func read<T>(_ bytes: [UInt8], _ body: (inout JSONReader) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            return try body(&reader)
        }
    }
}
