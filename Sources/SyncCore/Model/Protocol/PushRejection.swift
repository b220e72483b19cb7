/// One entity of a push that the hub refused, and why.
public struct PushRejection: Error, Sendable, Equatable {
    /// Position in the pushed `entities` array.
    public let index: Int
    public let kind: String?
    public let id: String?
    /// Why, as the hub decided; nil in a rejection read back from the wire.
    public let cause: Cause?
    public let reason: String

    /// Why an entity was refused. On the wire each is carried as an HTTP
    /// status (docs/protocol.md), which the hub's server assigns.
    public enum Cause: Sendable, Equatable {
        /// The entity is another station's, or carries a stamp this station may not make.
        case forbidden
        /// The entity is not a valid state.
        case invalid
    }

    public init(index: Int, kind: String?, id: String?, cause: Cause?, reason: String) {
        self.index = index
        self.kind = kind
        self.id = id
        self.cause = cause
        self.reason = reason
    }
}
