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
        case .unexpectedEnd:
            return tr(
                "the JSON ends too early (byte \(offset)): was the body cut off?",
                zh: "JSON 提前结束（第 \(offset) 字节）：内容是否被截断了？")
        case .unexpected(let found, let expected):
            return tr(
                "invalid JSON at byte \(offset): found \(found), expected \(expected)",
                zh: "第 \(offset) 字节处 JSON 有误：遇到 \(found)，应为 \(expected)")
        case .invalidUTF8:
            return tr(
                "invalid UTF-8 in a string at byte \(offset): text must be UTF-8",
                zh: "第 \(offset) 字节处的字符串不是有效的 UTF-8：文本应为 UTF-8 编码")
        case .invalidEscape:
            return tr(
                "invalid escape sequence in a string at byte \(offset)", zh: "第 \(offset) 字节处的字符串含有无效的转义序列")
        case .controlCharacterInString:
            return tr(
                "unescaped control character in a string at byte \(offset)",
                zh: "第 \(offset) 字节处的字符串含有未转义的控制字符")
        case .numberOutOfRange:
            return tr("number at byte \(offset) is out of range", zh: "第 \(offset) 字节处的数字超出范围")
        case .tooDeep(let limit):
            return tr(
                "JSON nested deeper than \(limit) levels at byte \(offset)",
                zh: "第 \(offset) 字节处 JSON 嵌套超过 \(limit) 层")
        case .trailingData:
            return tr(
                "unexpected data after the JSON value at byte \(offset)", zh: "第 \(offset) 字节处 JSON 值之后还有多余的数据")
        case .schema(let message): return tr("\(message) (at byte \(offset))", zh: "\(message)（第 \(offset) 字节）")
        case .limit(let message): return message
        }
    }
}
