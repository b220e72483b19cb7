import Foundation
import SyncModel
import SyncStore
import SyncSupport

/// Timeouts, TLS and retry settings for the sync client.
public struct HTTPClientConfiguration: Sendable {
    public var connectTimeout: Double = 10
    /// The longest one request may take, in seconds.
    public var timeout: Double = 120
    /// A request that moves no byte either way for this long has stalled
    /// (a hub that took the connection and never answers): it is given up
    /// and tried once more, not waited on for `timeout` × `attempts`. A hub
    /// answers a push as soon as its commit is done, well inside this.
    public var stallTimeout: Double = 30
    /// Told before each retry, with why and which attempt comes next, so a
    /// person watching a slow sync knows it is still working.
    public var onRetry: (@Sendable (_ reason: String, _ attempt: Int, _ of: Int) -> Void)?
    public var verifyTLS = true
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caFile: String?
    /// Attempts per request for connection errors and 5xx answers.
    public var attempts = 4
    /// The first retry waits this long; each next one twice as long, up to `maxDelay`.
    public var baseDelay: Double = 0.25
    public var maxDelay: Double = 4

    public init() {}
}

/// A blocking HTTP client over libcurl that retries what is worth retrying.
/// Not `Sendable`: one owner, one thread at a time; run it off Swift's
/// cooperative pool (see `runOnOwnThread`).
public final class HTTPClient {
    public let configuration: HTTPClientConfiguration
    private let easy: CurlEasy

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws {
        self.configuration = configuration
        easy = try CurlEasy()
    }

    /// Sends `request`; retries transport failures and 5xx answers with
    /// exponential backoff. Only use for idempotent requests: every request of
    /// the sync protocol is.
    public func send(_ request: HTTPClient.Request) throws -> HTTPClient.Response {
        var delay = configuration.baseDelay
        var attempt = 1
        var attempts = configuration.attempts
        while true {
            let outcome: Result<HTTPClient.Response, HTTPClientError>
            let started = monotonicSeconds()
            do {
                var response = try easy.perform(request, configuration: configuration)
                (response.attempts, response.seconds) = (attempt, monotonicSeconds() - started)
                outcome = .success(response)
            } catch {
                outcome = .failure(error)
            }
            let retry: Bool
            var reason = ""
            switch outcome {
            case .success(let response):
                retry = response.status >= 500
                reason = tr("the hub answered \(response.status)", zh: "区平台返回 \(response.status)")
            case .failure(let error):
                retry = error.isRetryable
                reason = error.message
                // A stalled hub is tried once more, not three times.
                if error.stalled { attempts = min(attempts, attempt + 1) }
            }
            if !retry || attempt >= attempts { return try outcome.get() }
            attempt += 1
            configuration.onRetry?(reason, attempt, attempts)
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 2, configuration.maxDelay)
        }
    }
}

/// Runs blocking work (libcurl transfers, SQLite) on a thread of its own and
/// resumes the caller when it is done, so Swift's small cooperative pool is
/// never blocked.
public func runOnOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 4 << 20
        thread.start()
    }
}
