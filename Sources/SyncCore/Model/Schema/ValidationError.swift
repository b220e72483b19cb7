/// Bad input, named so a clerk can fix it: which field, what is wrong, and
/// what is expected.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field (or argument) that was wrong.
    public let field: String
    /// What is wrong with it and what would be right.
    public let reason: String

    public init(field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { tr("\(field): \(reason)", zh: "\(field)：\(reason)") }
}
