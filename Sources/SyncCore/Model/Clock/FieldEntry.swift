/// One candidate value of a field, tagged with the write that set it.
/// A nil value means the write cleared the field.
public struct FieldEntry: Hashable, Sendable, Comparable {
    public let dot: Dot
    public let value: String?

    public init(dot: Dot, value: String?) {
        self.dot = dot
        self.value = value
    }

    public static func < (lhs: FieldEntry, rhs: FieldEntry) -> Bool {
        lhs.dot != rhs.dot ? lhs.dot < rhs.dot : (lhs.value ?? "") < (rhs.value ?? "")
    }
}
