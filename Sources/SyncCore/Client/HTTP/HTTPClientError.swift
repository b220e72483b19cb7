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

    public var description: String { message }
}
