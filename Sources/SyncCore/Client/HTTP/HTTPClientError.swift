import SyncModel
import SyncStore
import SyncSupport

/// Why a request got no HTTP answer.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// libcurl's result code.
    public let code: Int32
    /// libcurl's explanation, with what we were doing.
    public let message: String
    /// Worth trying again: the connection failed or broke, or timed out.
    public let isRetryable: Bool
    /// No byte moved either way for the stall timeout: the hub took the
    /// connection and did not answer.
    public var stalled = false
    /// Set when TLS refused the link: the hub's certificate, or the CA file
    /// meant to check it.
    public var tlsProblem: TLSProblem?

    /// Why TLS refused the link.
    public enum TLSProblem: Sendable, Equatable {
        /// The hub's certificate did not verify against the trusted CAs, or
        /// does not name the host in the URL.
        case certificateNotTrusted
        /// The CA file given could not be read or holds no certificate.
        case caFileUnusable
    }

    public var description: String { message }
}
