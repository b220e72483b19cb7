import Foundation
import Synchronization
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
    /// Attempts per request for connection errors and 5xx answers, while
    /// the hub has not answered yet: a laptop with no link at all hears so
    /// in seconds.
    public var attempts = 4
    /// Once the hub has answered in this sync, a link that drops (a GPRS
    /// modem re-attaching, a village's power cut at the mast) is waited out
    /// for up to this many seconds of retries before the sync gives up.
    public var outageBudget: Double = 60
    /// The first retry waits this long; each next one twice as long, up to `maxDelay`.
    public var baseDelay: Double = 0.25
    public var maxDelay: Double = 8
    /// Whether any client made from this configuration has had an answer
    /// from the hub: shared by the clients of one sync, which a copy of the
    /// configuration carries along.
    public let hubAnswered = HubAnswered()

    public init() {}

    /// The attempts a request gets: `attempts` until the hub has answered,
    /// then as many as `outageBudget` seconds of backoff allow.
    func attemptsAllowed() -> Int {
        guard hubAnswered.value else { return attempts }
        var waited = 0.0, delay = baseDelay, count = 1
        while waited + delay <= outageBudget {
            waited += delay
            delay = min(delay * 2, maxDelay)
            count += 1
        }
        return max(attempts, count)
    }
}

/// A flag clients of one sync share: the hub has answered at least once.
public final class HubAnswered: Sendable {
    private let answered = Atomic<Bool>(false)
    public init() {}
    public var value: Bool { answered.load(ordering: .relaxed) }
    func record() { answered.store(true, ordering: .relaxed) }
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
        var attempts = configuration.attemptsAllowed()
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
                configuration.hubAnswered.record()
                retry = response.status >= 500
                reason = tr("the hub answered \(response.status)", zh: "区平台返回 \(response.status)")
            case .failure(let error):
                retry = error.isRetryable
                reason = error.message
                // A stalled hub is tried once more, not three times.
                if error.stalled { attempts = min(attempts, attempt + 1) }
                // A link that was up earlier in this sync and drops now gets the outage budget.
                if !error.stalled { attempts = max(attempts, configuration.attemptsAllowed()) }
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
