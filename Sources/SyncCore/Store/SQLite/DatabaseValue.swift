import SyncModel

/// A value bound to a statement parameter.
enum DatabaseValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension DatabaseValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    init(stringLiteral value: String) { self = .text(value) }
    init(integerLiteral value: Int64) { self = .integer(value) }
    init(nilLiteral: ()) { self = .null }
}

extension DatabaseValue {
    /// Text, or NULL for nil.
    static func optional(_ text: String?) -> DatabaseValue { text.map(DatabaseValue.text) ?? .null }
}
