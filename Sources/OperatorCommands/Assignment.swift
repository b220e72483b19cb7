import SyncModel

/// A `FIELD=VALUE` given on the command line (`--set`), split at the first '='.
public struct Assignment: Sendable, Equatable {
    public let field: String
    public let value: String

    public init(_ text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw CommandFailure.badInput(
                tr("'\(text)' is not FIELD=VALUE, e.g. village=青禾村", zh: "“\(text)”不是 FIELD=VALUE 的形式，例如 village=青禾村"))
        }
        field = String(text[..<equals]).trimmingWhitespace()
        value = String(text[text.index(after: equals)...])
    }

    /// The record field it names (its code or Chinese name, '-' for '_').
    public func recordField() throws -> RecordField {
        try Self.recordField(named: field)
    }

    /// A record field named on the command line, or bad input listing the names.
    public static func recordField(named name: String) throws -> RecordField {
        guard let field = RecordField(named: name) else {
            let names = RecordField.allCases.map(\.rawValue).joined(separator: ", ")
            throw CommandFailure.badInput(
                tr("unknown field '\(name)': use one of \(names)", zh: "没有“\(name)”这个字段：请用以下之一：\(names)"))
        }
        return field
    }

    /// The value as stored: sex as F or M, whatever the spelling.
    public func normalisedValue(for field: RecordField) -> String {
        field == .sex ? RecordField.normaliseSex(value) : value
    }
}
