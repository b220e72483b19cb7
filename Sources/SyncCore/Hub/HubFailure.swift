import Reporting
import SyncModel
import SyncStore
import SyncSupport

/// Why the hub refused a request or an operator's command, with a message a
/// person can act on. The server turns each case into an HTTP status; the
/// operator commands into an exit code.
public enum HubFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is malformed or out of range.
    case badRequest(String)
    /// No valid token was presented, or a bundle's signature does not match.
    case unauthorized(String)
    /// The caller is authenticated but may not do this.
    case forbidden(String)
    case notFound(String)
    /// What was to be created exists already.
    case alreadyExists(String)
    /// The request is over one of the protocol's limits.
    case tooLarge(String)
    /// Well-formed, but not a valid state or change.
    case invalid(String)

    public var message: String {
        switch self {
        case .badRequest(let message), .unauthorized(let message), .forbidden(let message), .notFound(let message),
            .alreadyExists(let message), .tooLarge(let message), .invalid(let message):
            return message
        }
    }

    public var description: String { message }
}
