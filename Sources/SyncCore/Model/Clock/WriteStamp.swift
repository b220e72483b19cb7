/// Who made a write and when, kept for the audit trail and for showing
/// conflict candidates side by side.
public struct WriteStamp: Hashable, Sendable {
    public let dot: Dot
    /// Milliseconds since 1970 on the writing node's clock.
    public let time: Int64
    /// The clerk or operator, if one was named.
    public let clerk: String?

    public init(dot: Dot, time: Int64, clerk: String?) {
        self.dot = dot
        self.time = time
        self.clerk = clerk
    }
}
