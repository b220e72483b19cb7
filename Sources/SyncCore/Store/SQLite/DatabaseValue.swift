import SyncModel

/// A value bound to a statement parameter.
package enum DatabaseValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension DatabaseValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    package init(stringLiteral value: String) { self = .text(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(nilLiteral: ()) { self = .null }
}

extension DatabaseValue {
    /// Text, or NULL for nil.
    package static func optional(_ text: String?) -> DatabaseValue { text.map(DatabaseValue.text) ?? .null }
}
