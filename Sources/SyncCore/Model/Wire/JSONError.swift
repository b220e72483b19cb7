/// Why a JSON body could not be read, with the byte offset where it went wrong.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case unexpectedEnd
        case unexpected(found: String, expected: String)
        case invalidUTF8
        case invalidEscape
        case controlCharacterInString
        case numberOutOfRange
        case tooDeep(limit: Int)
        case trailingData
        /// The JSON is well formed but a value has the wrong type or is missing.
        case schema(String)
        /// Well formed, but more than a limit allows (too many entities).
        case limit(String)
    }

    public let reason: Reason
    public let offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// Errors of shape rather than syntax: the body is JSON, just not ours.
    public var isSchemaError: Bool {
        if case .schema = reason { return true }
        if case .numberOutOfRange = reason { return true }
        return false
    }

    public var description: String {
        switch reason {
        case .unexpectedEnd: return "the JSON ends too early (byte \(offset)): was the body cut off?"
        case .unexpected(let found, let expected):
            return "invalid JSON at byte \(offset): found \(found), expected \(expected)"
        case .invalidUTF8: return "invalid UTF-8 in a string at byte \(offset): text must be UTF-8"
        case .invalidEscape: return "invalid escape sequence in a string at byte \(offset)"
        case .controlCharacterInString: return "unescaped control character in a string at byte \(offset)"
        case .numberOutOfRange: return "number at byte \(offset) is out of range"
        case .tooDeep(let limit): return "JSON nested deeper than \(limit) levels at byte \(offset)"
        case .trailingData: return "unexpected data after the JSON value at byte \(offset)"
        case .schema(let message): return "\(message) (at byte \(offset))"
        case .limit(let message): return message
        }
    }
}
