import SyncModel
import SyncStore
import SyncSupport

/// Why a sync stopped before the end. Whatever was committed stays; the next
/// sync resumes from there.
public enum SyncError: Error, Sendable, CustomStringConvertible {
    case notConfigured(String)
    case unreachable(HTTPClientError)
    case unauthorized(String)
    case hubRefused(status: Int, message: String)
    case badResponse(String)

    public var description: String {
        switch self {
        case .notConfigured(let what):
            return "sync is not set up: \(what)"
        case .unreachable(let error):
            return
                "the hub could not be reached (\(error.message)); your data is safe here and the next sync resumes where this one stopped"
        case .unauthorized(let message):
            return "the hub refused this station's token: \(message)"
        case .hubRefused(let status, let message):
            return "the hub answered \(status): \(message)"
        case .badResponse(let message):
            return "the hub's answer could not be read: \(message)"
        }
    }
}
