import SyncModel
import SyncStore
import SyncSupport

extension SyncSession {
    /// Submits a month for review (`POST /v1/submit`), after a sync has sent
    /// everything this node holds: the hub then counts the month as reported.
    public func submit(_ submission: SubmitRequest) throws {
        let response = try clients.send(makeRequest(method: "POST", path: "/v1/submit", body: submission.encoded()))
            .get()
        count(response)
        _ = try Self.decodeOK(response) { _ in () }
    }

    /// What became of the submissions queued on this laptop.
    public struct QueuedOutcome: Sendable {
        public var sent: [Period] = []
        /// Months the hub refused for good (already approved, say), with its reason.
        public var refused: [(period: Period, reason: String)] = []

        public init() {}
    }

    /// Sends the submissions this laptop queued while the hub could not be
    /// reached, oldest month first, once a sync has sent everything it holds.
    /// Each one the hub takes, or refuses with a reason, leaves the queue;
    /// one the hub could not be asked about stays for the next sync.
    public func sendQueuedSubmissions() throws -> QueuedOutcome {
        var outcome = QueuedOutcome()
        for submission in try store.queuedSubmissions() {
            do {
                try submit(submission)
                outcome.sent.append(submission.period)
            } catch let error as SyncError {
                guard let reason = error.finalRefusal else { throw error }
                outcome.refused.append((submission.period, reason))
            }
            try store.removeQueuedSubmission(submission.period)
        }
        return outcome
    }
}

extension SyncError {
    /// The hub's reason when it refused a request for good (a 4xx other
    /// than a timeout or a rate limit): sending it again cannot help, so a
    /// queued submission leaves the queue. nil for anything worth retrying.
    public var finalRefusal: String? {
        guard case .hubRefused(let status, let message) = self, (400..<500).contains(status), status != 408,
            status != 429
        else { return nil }
        return message
    }
}
