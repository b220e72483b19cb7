import SyncModel
import SyncStore
import SyncSupport

extension HTTPClient {
    /// An HTTP request as the sync client sends it.
    public struct Request: Sendable {
        public var method: String
        public var url: String
        public var headers: [String: String]
        public var body: [UInt8]?

        public init(method: String = "GET", url: String, headers: [String: String] = [:], body: [UInt8]? = nil) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
        }
    }

    /// What came back.
    public struct Response: Sendable {
        public let status: Int
        /// Header names in lower case.
        public let headers: [String: String]
        /// The body, already un-gzipped by libcurl.
        public let body: [UInt8]
        /// Bytes on the wire: request body sent and response body received (compressed).
        public let bytesSent: Int
        public let bytesReceived: Int
        /// Tries it took (1 when the first answered).
        public internal(set) var attempts = 1
        /// Seconds the answered try took, from sending to the whole answer;
        /// 0 when not measured.
        public internal(set) var seconds = 0.0
        /// The answered try opened a connection (its time holds a handshake).
        public internal(set) var newConnection = false
    }
}
